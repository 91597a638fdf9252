/**
 * Engine overhead: the tiny generated model through the real transformers.js runtime, raw (a bare
 * worker, bench/pages/engine.worker.ts) and through the app, in one browser, replies interleaved so
 * that both see the same machine. Once on wasm (no WebGPU adapter) and once on WebGPU (SwiftShader).
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { GenerationStats } from '../../src/shared/engine';
import { loadModel, openApp, send } from '../../tests/e2e/helpers';
import type { RawReply } from '../pages/engine.worker';
import { writePart } from '../lib/parts';
import { appUrl, freshContext, launchChromium } from '../lib/setup';
import { spread, type Spread } from '../lib/stats';
import { installStreamProbe } from '../lib/stream-probe';
import { cpuBetween, cpuSnapshot, type ThreadCpu } from '../lib/thread-cpu';
import { traceBreakdown, WHOLE_BROWSER_CATEGORIES, type TraceBreakdown } from '../lib/thread-trace';

const MODEL_ID = 'tiny-r1';
const PROMPT = 'Hi';
const END_MARKER = 'Goodbye for now';
// WebGPU on SwiftShader is slow (seconds a reply), wasm is fast and noisier: more replies there.
// BENCH_ENGINE_REPEATS cuts both (the real-vocabulary tiny model decodes a few tokens a second here).
const cut = Number(process.env.BENCH_ENGINE_REPEATS ?? Infinity);
const REPEATS = { wasm: Math.min(8, cut), webgpu: Math.min(4, cut) };
const WARM_UPS = { wasm: Math.min(2, cut), webgpu: 1 };
// BENCH_ENGINE_BACKENDS=wasm leaves WebGPU out (on SwiftShader it can take minutes a reply).
const BACKENDS = (process.env.BENCH_ENGINE_BACKENDS ?? 'wasm,webgpu').split(',');
// The app's default settings (DeepSeek's advice); the reply is 78 tokens and EOS whatever the limit.
const OPTIONS = { temperature: 0.6, topP: 0.95, maxTokens: 500 };

/** One reply, seen raw (in the bare worker) or through the app (in the page). */
export interface EngineReply {
  tokens: number;
  promptTokens: number;
  /** The runtime's own decode rate, measured inside the engine worker. */
  engineTokensPerSecond: number;
  /** (tokens − 1) ÷ first to last delta: where the runtime hands it over raw, on reaching the page in the app. */
  deliveredTokensPerSecond: number;
  /** Request (raw) or Enter key (app) to the first delta (raw) or the first token painted (app). */
  firstTokenMs: number;
  /** Request (raw) or Enter key (app) to the last delta (raw) or the whole reply painted (app). */
  wholeReplyMs: number;
}

/** A reply with what every thread of the browser did while it was made (request to result). */
export interface MeasuredReply extends EngineReply {
  cpu: ThreadCpu;
}

/** Median ms per reply of one thread group: on a CPU, and runnable but waiting for one. */
export interface ThreadGroupCost {
  group: string;
  runMs: Record<Kind, number>;
  waitMs: Record<Kind, number>;
}

export interface EngineBackendPart {
  backend: 'wasm' | 'webgpu';
  raw: MeasuredReply[];
  /** Raw, but every delta crosses to the (idle) page by comlink, as the app's engine worker sends it. */
  relayed: MeasuredReply[];
  app: MeasuredReply[];
  /** In the app, with the probe watching the screen (the on-screen times). */
  appWatched: MeasuredReply[];
  /** Per thread group (process kind and thread name), busiest in the app first. */
  threads: ThreadGroupCost[];
  /** Median CPU the whole machine spent per reply (other programs included), ms of one core. */
  machineMs: Record<Kind, number>;
  wallMs: Record<Kind, number>;
  /** One more reply of each, raw and in the app, under a whole-browser Chromium trace. */
  traces?: { raw: TraceBreakdown; app: TraceBreakdown };
  summary: {
    raw: Record<keyof EngineReply, Spread | undefined>;
    relayed: Record<keyof EngineReply, Spread | undefined>;
    app: Record<keyof EngineReply, Spread | undefined>;
    appWatched: Record<keyof EngineReply, Spread | undefined>;
    relayedEngineRatio: Spread | undefined;
    /** Per pair of interleaved replies, app ÷ raw. */
    deliveredRatio: Spread | undefined;
    engineRatio: Spread | undefined;
  };
}

function summarizeReplies(replies: EngineReply[]): Record<keyof EngineReply, Spread | undefined> {
  const keys: (keyof EngineReply)[] = [
    'tokens',
    'promptTokens',
    'engineTokensPerSecond',
    'deliveredTokensPerSecond',
    'firstTokenMs',
    'wholeReplyMs',
  ];
  return Object.fromEntries(keys.map((key) => [key, spread(replies.map((reply) => reply[key]))])) as Record<
    keyof EngineReply,
    Spread | undefined
  >;
}

async function openRaw(browser: Browser): Promise<{ page: Page; backend: 'wasm' | 'webgpu' }> {
  const context = await freshContext(browser);
  const page = await context.newPage();
  await page.goto(`${appUrl}/bench/engine.html`);
  const backend = await page.evaluate((id) => window.rawEngine?.load(id), MODEL_ID);
  if (!backend) throw new Error('The bare engine page did not start');
  return { page, backend };
}

async function rawReply(page: Page, relay = false): Promise<MeasuredReply> {
  const before = cpuSnapshot();
  const reply: RawReply | undefined = await page.evaluate(
    ([text, options, relayed]) =>
      window.rawEngine?.generate([{ role: 'user', content: text }], options, relayed),
    [PROMPT, OPTIONS, relay] as const,
  );
  const cpu = cpuBetween(before, cpuSnapshot());
  if (!reply) throw new Error('The bare engine gave no reply');
  expect(reply.text).toContain(END_MARKER);
  const { stats, deltaAt, startedAt } = reply;
  const first = deltaAt[0];
  const last = deltaAt[deltaAt.length - 1];
  return {
    tokens: stats.completionTokens,
    promptTokens: stats.promptTokens,
    engineTokensPerSecond: stats.decodeTokensPerSecond,
    deliveredTokensPerSecond: ((stats.completionTokens - 1) * 1000) / (last - first),
    firstTokenMs: first - startedAt,
    wholeReplyMs: last - startedAt,
    cpu,
  };
}

async function openAppWithModel(browser: Browser): Promise<Page> {
  const context = await freshContext(browser);
  const page = await context.newPage();
  await page.addInitScript(installStreamProbe, { endMarker: END_MARKER });
  await openApp(page, {}, MODEL_ID);
  await loadModel(page);
  return page;
}

/** The stats the app stored with its newest reply (the runtime's own figures, from the worker). */
function storedStats(page: Page): Promise<GenerationStats | undefined> {
  return page.evaluate(
    () =>
      new Promise<GenerationStats | undefined>((resolve) => {
        const open = indexedDB.open('harbour-chat');
        open.onerror = () => resolve(undefined);
        open.onsuccess = () => {
          const request = open.result.transaction('conversations').objectStore('conversations').getAll();
          request.onerror = () => resolve(undefined);
          request.onsuccess = () => {
            type Message = { role?: string; createdAt?: number; stats?: GenerationStats };
            const messages = (request.result as { messages?: Message[] }[])
              .flatMap((record) => record.messages ?? [])
              .filter((message) => message.role === 'assistant' && message.stats)
              .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
            resolve(messages[0]?.stats);
          };
        };
      }),
  );
}

/**
 * Resolves once the newest reply is done, seen by a MutationObserver on its status attribute: no
 * polling by the bench during the reply (Playwright's expect would evaluate in the page on a
 * backoff, and end the CPU window up to a second late).
 */
function replyDone(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const done = () => {
          const replies = document.querySelectorAll('[data-testid="message-assistant"]');
          return replies[replies.length - 1]?.getAttribute('data-status') === 'done';
        };
        if (done()) return resolve();
        const observer = new MutationObserver(() => {
          if (!done()) return;
          observer.disconnect();
          resolve();
        });
        observer.observe(document.body, {
          subtree: true,
          attributes: true,
          attributeFilter: ['data-status'],
        });
      }),
  );
}

/**
 * A reply in the app. Only with `watchPaint` does the probe watch the screen (an animation-frame
 * loop and a DOM observer: work the app does not do, about a third of the page's CPU in a reply
 * here), so the on-screen times come from those replies and the engine's rates from the others.
 */
async function appReply(page: Page, watchPaint: boolean): Promise<MeasuredReply> {
  await page.getByRole('button', { name: /New chat/ }).click();
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await page.evaluate((watch) => window.__harbourStreamProbe?.arm({ watchPaint: watch }), watchPaint);
  const done = replyDone(page);
  const before = cpuSnapshot();
  await send(page, PROMPT);
  await done;
  const cpu = cpuBetween(before, cpuSnapshot());
  await expect(page.getByTestId('message-assistant').last()).toHaveAttribute('data-status', 'done');
  const probe = await page.evaluate(() => window.__harbourStreamProbe?.finish());
  const { sentAt, firstPaintedAt, lastPaintedAt, arrivals = [] } = probe ?? {};
  if (sentAt === undefined || arrivals.length < 2) throw new Error('The app reply did not arrive');
  if (watchPaint && (firstPaintedAt === undefined || lastPaintedAt === undefined)) {
    throw new Error('The app reply was not seen on screen');
  }
  await expect.poll(() => storedStats(page).then(Boolean)).toBe(true);
  const stats = await storedStats(page);
  const tokens = stats?.completionTokens ?? 0;
  return {
    tokens,
    promptTokens: stats?.promptTokens ?? Number.NaN,
    engineTokensPerSecond: stats?.decodeTokensPerSecond ?? Number.NaN,
    deliveredTokensPerSecond: ((tokens - 1) * 1000) / (arrivals[arrivals.length - 1] - arrivals[0]),
    firstTokenMs: (firstPaintedAt ?? Number.NaN) - sentAt,
    wholeReplyMs: (lastPaintedAt ?? Number.NaN) - sentAt,
    cpu,
  };
}

export type Kind = 'raw' | 'relayed' | 'app' | 'appWatched';

/** Median CPU per reply of each thread group, and of the whole machine, for each kind of reply. */
function threadCosts(
  replies: Record<Kind, MeasuredReply[]>,
): Pick<EngineBackendPart, 'threads' | 'machineMs' | 'wallMs'> {
  const kinds: Kind[] = ['raw', 'relayed', 'app', 'appWatched'];
  const median = (values: number[]) => spread(values)?.median ?? 0;
  const perKind = (of: (reply: MeasuredReply) => number) =>
    Object.fromEntries(kinds.map((kind) => [kind, median(replies[kind].map(of))])) as Record<Kind, number>;
  const groups = new Set(
    kinds.flatMap((kind) => replies[kind].flatMap((reply) => Object.keys(reply.cpu.groups))),
  );
  const threads = [...groups]
    .map((group) => ({
      group,
      runMs: perKind((reply) => reply.cpu.groups[group]?.runMs ?? 0),
      waitMs: perKind((reply) => reply.cpu.groups[group]?.waitMs ?? 0),
    }))
    .filter((cost) => kinds.some((kind) => cost.runMs[kind] >= 1 || cost.waitMs[kind] >= 1))
    .sort((a, b) => b.runMs.app - a.runMs.app);
  return {
    threads,
    machineMs: perKind((reply) => reply.cpu.machineMs),
    wallMs: perKind((reply) => reply.cpu.wallMs),
  };
}

/** Runs `work` under a trace of the whole browser (every process and thread). */
async function traced(browser: Browser, work: () => Promise<unknown>): Promise<TraceBreakdown> {
  await browser.startTracing(undefined, { categories: WHOLE_BROWSER_CATEGORIES });
  // Stopped even when the work failed, so that the browser can be traced (and closed) again.
  const failure = await work().then(
    () => undefined,
    (error: unknown) => error ?? new Error('The traced work failed'),
  );
  const trace = await browser.stopTracing();
  if (failure) throw failure;
  return traceBreakdown(trace);
}

async function measureBackend(webgpu: boolean): Promise<EngineBackendPart> {
  const browser = await launchChromium(webgpu);
  try {
    const raw = await openRaw(browser);
    expect(raw.backend).toBe(webgpu ? 'webgpu' : 'wasm');
    const app = await openAppWithModel(browser);
    // The first replies compile kernels and warm caches: not counted.
    const rawReplies: MeasuredReply[] = [];
    const relayedReplies: MeasuredReply[] = [];
    const appReplies: MeasuredReply[] = [];
    const watchedReplies: MeasuredReply[] = [];
    const kinds = [
      { replies: rawReplies, reply: () => rawReply(raw.page) },
      { replies: relayedReplies, reply: () => rawReply(raw.page, true) },
      { replies: appReplies, reply: () => appReply(app, false) },
      { replies: watchedReplies, reply: () => appReply(app, true) },
    ];
    for (let warmUp = 0; warmUp < WARM_UPS[raw.backend]; warmUp++) {
      for (const kind of kinds) await kind.reply();
    }
    for (let repeat = 0; repeat < REPEATS[raw.backend]; repeat++) {
      // Rotate which goes first, so that a drift of the machine favours none of them.
      for (let i = 0; i < kinds.length; i++) {
        const kind = kinds[(repeat + i) % kinds.length];
        kind.replies.push(await kind.reply());
      }
      const [r, c, a, w] = [rawReplies, relayedReplies, appReplies, watchedReplies].map((replies) =>
        replies[repeat].engineTokensPerSecond.toFixed(1),
      );
      console.log(
        `engine ${raw.backend}: engine's own tok/s raw ${r}, relayed ${c}, app ${a}, app watched ${w}`,
      );
    }
    const traces = {
      raw: await traced(browser, () => rawReply(raw.page)),
      app: await traced(browser, () => appReply(app, false)),
    };
    return {
      backend: raw.backend,
      traces,
      raw: rawReplies,
      relayed: relayedReplies,
      app: appReplies,
      appWatched: watchedReplies,
      ...threadCosts({
        raw: rawReplies,
        relayed: relayedReplies,
        app: appReplies,
        appWatched: watchedReplies,
      }),
      summary: {
        raw: summarizeReplies(rawReplies),
        relayed: summarizeReplies(relayedReplies),
        app: summarizeReplies(appReplies),
        appWatched: summarizeReplies(watchedReplies),
        relayedEngineRatio: spread(
          relayedReplies.map((c, i) => c.engineTokensPerSecond / rawReplies[i].engineTokensPerSecond),
        ),
        deliveredRatio: spread(
          appReplies.map((a, i) => a.deliveredTokensPerSecond / rawReplies[i].deliveredTokensPerSecond),
        ),
        engineRatio: spread(
          appReplies.map((a, i) => a.engineTokensPerSecond / rawReplies[i].engineTokensPerSecond),
        ),
      },
    };
  } finally {
    await browser.close();
  }
}

test('engine overhead: raw worker against the app, wasm and WebGPU', async () => {
  test.setTimeout(30 * 60_000);
  const backends: EngineBackendPart[] = [];
  const failures: { backend: string; error: string }[] = [];
  for (const webgpu of [false, true]) {
    if (!BACKENDS.includes(webgpu ? 'webgpu' : 'wasm')) continue;
    try {
      backends.push(await measureBackend(webgpu));
    } catch (error) {
      failures.push({ backend: webgpu ? 'webgpu' : 'wasm', error: String(error).slice(0, 500) });
    }
  }
  writePart('engine', { model: MODEL_ID, warmUps: WARM_UPS, repeats: REPEATS, backends, failures });
  expect(failures).toEqual([]);
});
