/**
 * transformers.js runtime: the 1.5B DeepSeek-R1 distill as ONNX (WebLLM's 1.5B build is disabled
 * for a correctness issue). ONNX Runtime's wasm is served from our own origin — by default it comes
 * from a public CDN, which breaks offline use and the privacy promise. Every model file is fetched
 * by our resumable downloader (workers/download/) before transformers.js starts, and handed to it
 * through `env.customCache`, so transformers.js never downloads a weight itself.
 */
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  InterruptableStoppingCriteria,
  TextStreamer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type ProgressInfo,
} from '@huggingface/transformers';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import type { ModelRecord } from '../../src/shared/catalog';
import { modelHost } from '../../src/shared/config';
import type { GenerationStats, LoadOptions, LoadReport } from '../../src/shared/engine';
import { TRANSFORMERS_CACHE } from '../cache-status';
import { downloadFiles } from '../download/downloader';
import { deleteModelDownload, modelFiles } from '../download/model-files';
import type { Runtime } from './runtime';
import { downloadedFilesCache } from './transformers-cache';

function configure(): void {
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.remoteHost = `${modelHost}/`;
  env.useBrowserCache = true;
  env.useCustomCache = true;
  env.customCache = downloadedFilesCache;
  // The service worker already precaches ONNX Runtime's wasm; a second copy in transformers-cache
  // would only take 27 MB more of the user's disk.
  env.useWasmCache = false;
  const onnx = env.backends.onnx;
  if (onnx.wasm) {
    onnx.wasm.wasmPaths = {
      wasm: new URL(ortWasmUrl, self.location.href).href,
      mjs: new URL(ortMjsUrl, self.location.href).href,
    };
  }
}

/** Sums per-file byte progress into one download report. */
export class FileProgress {
  #files = new Map<string, { loaded: number; total: number }>();

  read(info: ProgressInfo): LoadReport | undefined {
    if (info.status === 'progress_total') {
      return this.#report(info.loaded, info.total);
    }
    if (info.status === 'progress') {
      this.#files.set(info.file, { loaded: info.loaded, total: info.total });
    } else if (info.status === 'done') {
      const file = this.#files.get(info.file);
      if (file) file.loaded = file.total;
    } else {
      return undefined;
    }
    let loaded = 0;
    let total = 0;
    for (const file of this.#files.values()) {
      loaded += file.loaded;
      total += file.total;
    }
    return this.#report(loaded, total);
  }

  #report(loaded: number, total: number): LoadReport {
    return {
      phase: 'downloading',
      fraction: total > 0 ? loaded / total : 0,
      loadedBytes: loaded,
      totalBytes: total,
    };
  }
}

function dtypeFor(options: LoadOptions): 'q4f16' | 'q4' {
  return options.shaderF16 && !options.preferWasm ? 'q4f16' : 'q4';
}

/** Downloads (or resumes) every file of the model with our downloader; progress is for all of them. */
async function downloadModel(
  record: ModelRecord,
  options: LoadOptions,
  signal: AbortSignal,
  onProgress: (report: LoadReport) => void,
): Promise<void> {
  await downloadFiles(modelFiles(record, dtypeFor(options)), {
    ...options.download,
    signal,
    onProgress: ({ loadedBytes, totalBytes }) =>
      onProgress({
        phase: 'downloading',
        fraction: totalBytes > 0 ? loadedBytes / totalBytes : 0,
        loadedBytes,
        totalBytes,
      }),
  });
}

export function createTransformersRuntime(): Runtime {
  configure();
  let tokenizer: PreTrainedTokenizer | undefined;
  let model: PreTrainedModel | undefined;
  let stopping: InterruptableStoppingCriteria | undefined;
  let cancelled = false;
  let download: AbortController | undefined;

  async function dispose(): Promise<void> {
    const current = model;
    model = undefined;
    tokenizer = undefined;
    await current?.dispose();
  }

  function throwIfCancelled(): void {
    if (cancelled) throw new DOMException('Load cancelled', 'AbortError');
  }

  return {
    async load(record: ModelRecord, options: LoadOptions, onProgress: (report: LoadReport) => void) {
      cancelled = false;
      download = new AbortController();
      await downloadModel(record, options, download.signal, onProgress);
      throwIfCancelled();
      // From here transformers.js reads the stored files (through env.customCache): a load, not a download.
      const files = new FileProgress();
      const progress_callback = (info: ProgressInfo) => {
        const report = files.read(info);
        if (report && !cancelled) onProgress({ ...report, phase: 'loading' });
      };
      tokenizer = await AutoTokenizer.from_pretrained(record.repo, { progress_callback });
      throwIfCancelled();
      model = await AutoModelForCausalLM.from_pretrained(record.repo, {
        dtype: dtypeFor(options),
        device: options.preferWasm ? 'wasm' : 'webgpu',
        progress_callback,
      });
      if (cancelled) {
        await dispose();
        throwIfCancelled();
      }
      // The first run compiles the GPU shaders; do it now rather than in the user's first reply.
      onProgress({ phase: 'compiling', fraction: 0 });
      await model.generate({ ...tokenizer('Hi'), max_new_tokens: 1 });
      onProgress({ phase: 'ready', fraction: 1 });
    },

    async generate(turns, options, onDelta) {
      if (!model || !tokenizer) throw new DOMException('No model is loaded', 'InvalidStateError');
      const inputs = tokenizer.apply_chat_template(turns, { add_generation_prompt: true, return_dict: true });
      const promptTokens = (inputs as { input_ids: { dims: number[] } }).input_ids.dims.at(-1) ?? 0;
      const started = performance.now();
      let firstTokenAt: number | undefined;
      let lastTokenAt = started;
      let completionTokens = 0;
      stopping = new InterruptableStoppingCriteria();
      const streamer = new TextStreamer(tokenizer, {
        skip_prompt: true,
        skip_special_tokens: true,
        callback_function: (text: string) => {
          if (text) onDelta(text);
        },
        token_callback_function: () => {
          lastTokenAt = performance.now();
          firstTokenAt ??= lastTokenAt;
          completionTokens++;
        },
      });
      const sample = options.temperature > 0;
      await model.generate({
        ...(inputs as object),
        max_new_tokens: options.maxTokens,
        do_sample: sample,
        ...(sample ? { temperature: options.temperature, top_p: options.topP } : {}),
        streamer,
        stopping_criteria: stopping,
      });
      const interrupted = stopping.interrupted;
      stopping = undefined;
      const first = firstTokenAt ?? lastTokenAt;
      const decodeSeconds = (lastTokenAt - first) / 1000;
      const finishReason: GenerationStats['finishReason'] = interrupted
        ? 'abort'
        : completionTokens >= options.maxTokens
          ? 'length'
          : 'stop';
      return {
        promptTokens,
        completionTokens,
        timeToFirstTokenMs: first - started,
        prefillTokensPerSecond: promptTokens / Math.max((first - started) / 1000, 1e-3),
        decodeTokensPerSecond:
          completionTokens > 1 ? (completionTokens - 1) / Math.max(decodeSeconds, 1e-3) : 0,
        finishReason,
      };
    },

    interrupt() {
      stopping?.interrupt();
    },

    async unload() {
      cancelled = true;
      download?.abort();
      stopping?.interrupt();
      await dispose();
    },

    async deleteCached(record: ModelRecord) {
      await deleteModelDownload(record);
      const cache = await caches.open(TRANSFORMERS_CACHE);
      const keys = await cache.keys();
      await Promise.all(
        keys
          .filter((request) => request.url.includes(`/${record.repo}/`))
          .map((request) => cache.delete(request)),
      );
    },
  };
}
