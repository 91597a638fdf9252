/**
 * A runtime with no weights, for tests only (never bundled into production builds): it simulates a
 * download with progress, "caches" the model in the Cache API, and replays a scripted reply with a
 * thought and an answer at a chosen pace. A user message containing `#fail:<ErrorName>` makes the
 * reply fail with that engine error after a few tokens, so every error path can be driven from a test,
 * and `#crash` makes the worker itself die mid-reply. When the last turn is the assistant's, the reply
 * is continued: what follows that text in the script is streamed (the engine contract's continuation).
 * Benchmarks ask for a long generated reply at a fixed rate. Timers in a worker are clamped to ≥4 ms
 * once nested, so a rate is kept by deadline: each wake-up emits every token that is due by then.
 */
import type { ModelRecord } from '../../src/shared/catalog';
import {
  EngineError,
  isEngineErrorName,
  type ChatTurn,
  type GenerateOptions,
  type GenerationStats,
  type LoadOptions,
  type LoadReport,
} from '../../src/shared/engine';
import { SCRIPTED_CACHE as CACHE_NAME, hasDownloadedFiles } from '../cache-status';
import type { Runtime } from './runtime';
import { readScriptedBehaviour, type ScriptedBehaviour } from './scripted-control';
import { cutLongTokens, longReplyTokens, scriptTokens, type EmitLog } from './scripted-reply';

const defaultBehaviour = {
  thinking: 'The user said hello. I should greet them back briefly and offer help.',
  answer:
    'Hello! I am the **scripted** test model.\n\n- I stream one word at a time.\n- I think before I answer.\n\n你好，歡迎使用海港傾偈。',
  tokenDelayMs: 40,
  loadMs: 600,
};

type Behaviour = typeof defaultBehaviour & ScriptedBehaviour;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function replyTokens(behaviour: Behaviour): string[] {
  const tokens = behaviour.replyTokens
    ? longReplyTokens(behaviour.replyTokens)
    : // Like DeepSeek's template, whose prompt opens the thought: the opening streams first.
      ['<think>\n', ...scriptTokens(`${behaviour.thinking}</think>\n\n${behaviour.answer}`)];
  return behaviour.tokenChars ? cutLongTokens(tokens, behaviour.tokenChars) : tokens;
}

/** The tokens still to come after `prefix`, the reply so far; the whole script when it is not a start of it. */
function continuedTokens(tokens: string[], prefix: string): string[] {
  const script = tokens.join('');
  return script.startsWith(prefix) ? scriptTokens(script.slice(prefix.length)) : tokens;
}

/** Waits until token `index` is due: by deadline at a set rate, else a fixed delay before each token. */
function pacer(behaviour: Behaviour): (index: number) => Promise<void> | undefined {
  const rate = behaviour.tokensPerSecond ?? 0;
  if (rate > 0) {
    let start: number | undefined;
    return (index) => {
      start ??= performance.now();
      const wait = start + (index * 1000) / rate - performance.now();
      return wait > 0 ? sleep(wait) : undefined;
    };
  }
  return () => (behaviour.tokenDelayMs > 0 ? sleep(behaviour.tokenDelayMs) : undefined);
}

function markerUrl(model: ModelRecord): string {
  return new URL(`/__scripted__/${model.id}`, self.location.origin).href;
}

export function createScriptedRuntime(): Runtime {
  let behaviour: Behaviour = defaultBehaviour;
  let loadAbort: AbortController | undefined;
  let interrupted = false;

  async function simulateDownload(
    model: ModelRecord,
    total: number,
    onProgress: (r: LoadReport) => void,
    signal: AbortSignal,
  ) {
    const steps = 10;
    for (let step = 1; step <= steps; step++) {
      await sleep(behaviour.loadMs / steps);
      if (signal.aborted) throw new EngineError('AbortError', 'Load cancelled');
      const loadedBytes = Math.round((total * step) / steps);
      onProgress({ phase: 'downloading', fraction: step / steps, loadedBytes, totalBytes: total });
    }
    const cache = await caches.open(CACHE_NAME);
    await cache.put(markerUrl(model), new Response(String(total)));
  }

  function publishEmitLog(emittedAt: number[]): void {
    if (!behaviour.emitLogChannel) return;
    const channel = new BroadcastChannel(behaviour.emitLogChannel);
    const log: EmitLog = { tokens: emittedAt.length, emittedAt };
    channel.postMessage(log);
    channel.close();
  }

  return {
    async load(model: ModelRecord, _options: LoadOptions, onProgress: (r: LoadReport) => void) {
      behaviour = { ...defaultBehaviour, ...(await readScriptedBehaviour()) };
      loadAbort = new AbortController();
      const signal = loadAbort.signal;
      const total = model.downloadMB * 1024 * 1024;
      if (!(await hasDownloadedFiles(model))) await simulateDownload(model, total, onProgress, signal);
      if (behaviour.failLoad) throw new EngineError(behaviour.failLoad, 'Scripted load failure');
      onProgress({ phase: 'loading', fraction: 1, loadedBytes: total, totalBytes: total });
      await sleep(behaviour.loadMs / 10);
      onProgress({ phase: 'compiling', fraction: 1 });
      onProgress({ phase: 'ready', fraction: 1 });
    },

    async generate(turns: ChatTurn[], options: GenerateOptions, onDelta: (text: string) => void) {
      interrupted = false;
      if (behaviour.promptChannel) {
        const channel = new BroadcastChannel(behaviour.promptChannel);
        channel.postMessage(turns);
        channel.close();
      }
      const lastUser = [...turns].reverse().find((turn) => turn.role === 'user')?.content ?? '';
      const failName = /#fail:(\w+)/.exec(lastUser)?.[1];
      const last = turns.at(-1);
      const crash = last?.role !== 'assistant' && lastUser.includes('#crash');
      const tokens =
        last?.role === 'assistant'
          ? continuedTokens(replyTokens(behaviour), last.content)
          : replyTokens(behaviour);
      // A benchmark's long reply is wanted whole, whatever the page's token limit.
      const maxTokens = behaviour.replyTokens || behaviour.tokenChars ? tokens.length : options.maxTokens;
      const waitForTurn = pacer(behaviour);
      const emittedAt: number[] = [];
      const started = performance.now();
      let firstTokenAt = started;
      let produced = 0;
      let finishReason: GenerationStats['finishReason'] = 'stop';
      for (const token of tokens) {
        if (interrupted) {
          finishReason = 'abort';
          break;
        }
        if (produced >= maxTokens) {
          finishReason = 'length';
          break;
        }
        if (crash && produced === 3) {
          self.close(); // the worker ends here, as a crashed one would: no reply, no error message
          await new Promise(() => undefined);
        }
        if (failName && produced === 3) {
          throw new EngineError(isEngineErrorName(failName) ? failName : 'UnknownError', 'Scripted failure');
        }
        const wait = waitForTurn(produced);
        if (wait) await wait;
        const now = performance.now();
        if (produced === 0) firstTokenAt = now;
        emittedAt.push(performance.timeOrigin + now);
        onDelta(token);
        produced++;
      }
      publishEmitLog(emittedAt);
      const decodeSeconds = Math.max((performance.now() - firstTokenAt) / 1000, 1e-3);
      const promptTokens = turns.reduce((sum, turn) => sum + scriptTokens(turn.content).length, 0);
      return {
        promptTokens,
        completionTokens: produced,
        timeToFirstTokenMs: firstTokenAt - started,
        prefillTokensPerSecond: promptTokens / Math.max((firstTokenAt - started) / 1000, 1e-3),
        decodeTokensPerSecond: produced / decodeSeconds,
        finishReason,
      };
    },

    interrupt() {
      interrupted = true;
    },

    async unload() {
      loadAbort?.abort();
    },

    async deleteCached(model: ModelRecord) {
      const cache = await caches.open(CACHE_NAME);
      await cache.delete(markerUrl(model));
    },
  };
}
