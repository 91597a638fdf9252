/**
 * WebLLM runtime (the 7B/8B DeepSeek-R1 distills). The MLCEngine lives here, in our own worker,
 * rather than behind WebLLM's WebWorkerMLCEngineHandler, whose protocol returns errors as strings.
 * WebLLM reports load progress only as `{progress, text}`: the phase is read from the text and the
 * byte counts are derived from the catalog's download size.
 */
import { MLCEngine, deleteModelAllInfoInCache, type AppConfig } from '@mlc-ai/web-llm';
import { catalog, type ModelRecord } from '../../src/shared/catalog';
import { modelRepoUrl, webllmLibUrl } from '../../src/shared/config';
import {
  EngineError,
  type ChatTurn,
  type GenerateOptions,
  type GenerationStats,
} from '../../src/shared/engine';
import { mlcPrompt, type MlcConvTemplate } from './mlc-prompt';
import { WEBLLM_CONFIG_CACHE } from '../cache-status';
import type { Runtime } from './runtime';
import { MarkerFilter } from './special-text';
import { readWebllmProgress } from './webllm-progress';

/**
 * WebLLM's cache fails with the same bare "Request failed" whether the network is down, the model
 * is missing or its library is: after a failed load, ask the host which it was.
 */
async function diagnoseLoadFailure(model: ModelRecord, cause: unknown): Promise<unknown> {
  if (!/request failed|cannot fetch|failed to fetch/i.test(String(cause))) return cause;
  const exists = async (url: string) => (await fetch(url, { method: 'HEAD', cache: 'no-store' })).ok;
  try {
    if (!(await exists(`${modelRepoUrl(model.repo)}mlc-chat-config.json`))) {
      return new EngineError('ModelNotFoundError', `${model.repo} is not on the model host`);
    }
    if (!(await exists(webllmLibUrl(model)))) {
      return new EngineError('ModelLibraryError', `${webllmLibUrl(model)} is not available`);
    }
  } catch {
    return new EngineError('NetworkError', String(cause));
  }
  return cause;
}

/** WebLLM's app config for every WebLLM model in the catalog, with our model host. */
export function webllmAppConfig(): AppConfig {
  return {
    cacheBackend: 'cache',
    model_list: catalog
      .filter((model) => model.runtime === 'webllm')
      .map((model) => ({
        model: modelRepoUrl(model.repo),
        model_id: model.id,
        model_lib: webllmLibUrl(model),
        vram_required_MB: model.vramMB,
        required_features: model.requiredFeatures,
        overrides: {
          context_window_size: model.contextWindow,
          // MLC's deepseek_r1_* templates carry "You are Deepseek-R1, an AI assistant created
          // exclusively by…" as the default system message; DeepSeek advises none for R1.
          conv_config: { system_message: '' },
        },
      })),
  };
}

/** The text of a streamed chunk's choice, from a chat completion or a text completion. */
function deltaText(choice: { delta?: { content?: string | null }; text?: string } | undefined): string {
  return choice?.delta?.content ?? choice?.text ?? '';
}

/** The conversation template WebLLM loaded for `model` (its cached mlc-chat-config.json), with our overrides. */
async function convTemplate(model: ModelRecord, appConfig: AppConfig): Promise<MlcConvTemplate> {
  const url = new URL('mlc-chat-config.json', modelRepoUrl(model.repo)).href;
  const cached = await (await caches.open(WEBLLM_CONFIG_CACHE)).match(url);
  const config = (await (cached ?? (await fetch(url))).json()) as { conv_template: MlcConvTemplate };
  const record = appConfig.model_list.find((entry) => entry.model_id === model.id);
  return { ...config.conv_template, ...record?.overrides?.conv_config } as MlcConvTemplate;
}

export function createWebllmRuntime(): Runtime {
  const appConfig = webllmAppConfig();
  const engine = new MLCEngine({ appConfig });
  let loaded: ModelRecord | undefined;

  /**
   * A chat completion; a trailing assistant turn (a reply to continue) goes as a text completion
   * of the prompt WebLLM would build, since its chat API only answers a user or tool message.
   */
  async function startStream(turns: ChatTurn[], options: GenerateOptions) {
    const common = {
      stream: true as const,
      stream_options: { include_usage: true },
      temperature: options.temperature,
      top_p: options.topP,
      max_tokens: options.maxTokens,
      // The templates stop only on <｜end▁of▁sentence｜>; a reply that starts the next turn ends there.
      stop: ['<｜User｜>', '<｜Assistant｜>'],
    };
    if (turns.at(-1)?.role !== 'assistant' || !loaded) {
      return engine.chat.completions.create({ ...common, messages: turns });
    }
    const prompt = mlcPrompt(await convTemplate(loaded, appConfig), turns);
    return engine.completions.create({ ...common, prompt });
  }

  return {
    async load(model: ModelRecord, _options, onProgress) {
      const totalBytes = model.downloadMB * 1024 * 1024;
      engine.setInitProgressCallback((report) => {
        const read = readWebllmProgress(report, totalBytes);
        if (read) onProgress(read);
      });
      onProgress({ phase: 'downloading', fraction: 0, loadedBytes: 0, totalBytes });
      try {
        await engine.reload(model.id);
      } catch (cause) {
        throw await diagnoseLoadFailure(model, cause);
      }
      loaded = model;
      onProgress({ phase: 'ready', fraction: 1 });
    },

    async generate(turns, options, onDelta) {
      const started = performance.now();
      let firstTokenAt: number | undefined;
      let finishReason: GenerationStats['finishReason'] = 'stop';
      let stats: Partial<GenerationStats> = {};
      const stream = await startStream(turns, options);
      const markers = new MarkerFilter();
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const delta = markers.push(deltaText(choice));
        if (delta) {
          firstTokenAt ??= performance.now();
          onDelta(delta);
        }
        if (choice?.finish_reason === 'length' || choice?.finish_reason === 'abort') {
          finishReason = choice.finish_reason;
        }
        if (chunk.usage) {
          stats = {
            promptTokens: chunk.usage.prompt_tokens,
            completionTokens: chunk.usage.completion_tokens,
            timeToFirstTokenMs: chunk.usage.extra.time_to_first_token_s * 1000,
            prefillTokensPerSecond: chunk.usage.extra.prefill_tokens_per_s,
            decodeTokensPerSecond: chunk.usage.extra.decode_tokens_per_s,
          };
        }
      }
      const rest = markers.finish();
      if (rest) onDelta(rest);
      return {
        promptTokens: stats.promptTokens ?? 0,
        completionTokens: stats.completionTokens ?? 0,
        timeToFirstTokenMs: stats.timeToFirstTokenMs ?? (firstTokenAt ?? started) - started,
        prefillTokensPerSecond: stats.prefillTokensPerSecond ?? 0,
        decodeTokensPerSecond: stats.decodeTokensPerSecond ?? 0,
        finishReason,
      };
    },

    interrupt() {
      engine.interruptGenerate();
    },

    async unload() {
      loaded = undefined;
      await engine.unload();
    },

    async deleteCached(model) {
      if (loaded?.id === model.id) await this.unload();
      await deleteModelAllInfoInCache(model.id, appConfig);
    },
  };
}
