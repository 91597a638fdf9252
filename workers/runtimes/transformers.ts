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
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type ProgressInfo,
} from '@huggingface/transformers';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import type { ModelRecord } from '../../src/shared/catalog';
import { modelHost } from '../../src/shared/config';
import type { DownloadTuning, LoadOptions, LoadReport } from '../../src/shared/engine';
import { TRANSFORMERS_CACHE } from '../cache-status';
import { downloadFiles } from '../download/downloader';
import { deleteModelDownload, modelFiles } from '../download/model-files';
import type { Runtime } from './runtime';
import { PromptCache } from './prompt-cache';
import { generateReply } from './transformers-generate';

/**
 * The latest load's controller, aborted by unload() or by the next load. It stays set once aborted,
 * so a fetch the cancelled load starts afterwards is refused at once too.
 */
let currentLoad: AbortController | undefined;
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
  // transformers.js 4.3.1 passes no AbortSignal to its fetches: every fetch gets the signal of the
  // load in progress, so a cancel stops the download instead of letting it finish unseen.
  env.fetch = (input, init) => fetch(input, { ...init, signal: currentLoad?.signal });
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

function dtypeFor(options: LoadOptions): 'q4f16' | 'q4' | 'q8' {
  return options.dtype ?? (options.shaderF16 && !options.preferWasm ? 'q4f16' : 'q4');
}

/** Test builds only: the tuning end-to-end tests stored; written out here so production drops it. */
async function testDownloadTuning(): Promise<DownloadTuning> {
  if (import.meta.env.VITE_TEST_MODELS !== 'true') return {};
  const { readDownloadTuning } = await import('../download/download-control');
  return readDownloadTuning();
}

/** Downloads (or resumes) every file of the model with our downloader; progress is for all of them. */
async function downloadModel(
  record: ModelRecord,
  options: LoadOptions,
  signal: AbortSignal,
  onProgress: (report: LoadReport) => void,
): Promise<void> {
  await downloadFiles(modelFiles(record, dtypeFor(options)), {
    ...(await testDownloadTuning()),
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

/** `reusePromptPrefix: false` turns KV prefix reuse off (for the turn-cost bench's comparison). */
export function createTransformersRuntime({ reusePromptPrefix = true } = {}): Runtime {
  configure();
  let tokenizer: PreTrainedTokenizer | undefined;
  let model: PreTrainedModel | undefined;
  let stopping: InterruptableStoppingCriteria | undefined;
  const promptCache = new PromptCache(reusePromptPrefix);
  /** Settles when the latest load has finished or unwound; the next load starts after it. */
  let unwinding: Promise<unknown> = Promise.resolve();

  async function dispose(): Promise<void> {
    const current = model;
    model = undefined;
    tokenizer = undefined;
    await promptCache.clear();
    await current?.dispose();
  }

  /**
   * Throws AbortError when `attempt` is no longer the load in progress (cancelled, or replaced by a
   * newer load); whatever the orphaned attempt built is freed, never kept.
   */
  async function stillCurrent(attempt: AbortController, built?: PreTrainedModel): Promise<void> {
    if (currentLoad === attempt && !attempt.signal.aborted) return;
    await built?.dispose();
    throw new DOMException('Load cancelled', 'AbortError');
  }

  async function loadOnce(
    record: ModelRecord,
    options: LoadOptions,
    onProgress: (report: LoadReport) => void,
    attempt: AbortController,
  ): Promise<void> {
    await stillCurrent(attempt);
    await dispose();
    const current = (report: LoadReport) => {
      if (currentLoad === attempt && !attempt.signal.aborted) onProgress(report);
    };
    current({ phase: 'downloading', fraction: 0, loadedBytes: 0, totalBytes: 0 });
    await downloadModel(record, options, attempt.signal, current);
    await stillCurrent(attempt);
    // From here transformers.js reads the stored files (through env.customCache): a load, not a download.
    const files = new FileProgress();
    const progress_callback = (info: ProgressInfo) => {
      const report = files.read(info);
      if (report) current({ ...report, phase: 'loading' });
    };
    const newTokenizer = await AutoTokenizer.from_pretrained(record.repo, { progress_callback });
    await stillCurrent(attempt);
    const newModel = await AutoModelForCausalLM.from_pretrained(record.repo, {
      dtype: dtypeFor(options),
      device: options.preferWasm ? 'wasm' : 'webgpu',
      progress_callback,
    });
    await stillCurrent(attempt, newModel);
    // The first run compiles the GPU shaders; do it now rather than in the user's first reply.
    onProgress({ phase: 'compiling', fraction: 0 });
    await newModel.generate({ ...newTokenizer('Hi'), max_new_tokens: 1 });
    await stillCurrent(attempt, newModel);
    tokenizer = newTokenizer;
    model = newModel;
    onProgress({ phase: 'ready', fraction: 1 });
  }

  return {
    load(record: ModelRecord, options: LoadOptions, onProgress: (report: LoadReport) => void) {
      currentLoad?.abort();
      // transformers.js's fetch hook is global, so two loads at once could not tell their fetches
      // apart: a new load starts once the cancelled one has unwound (its fetches fail at once; only
      // an ONNX session already being created takes its time).
      const previous = unwinding.catch(() => undefined);
      const attempt = new AbortController();
      currentLoad = attempt;
      const run = previous.then(() => loadOnce(record, options, onProgress, attempt));
      unwinding = run;
      return run;
    },

    async generate(turns, options, onDelta) {
      if (!model || !tokenizer) throw new DOMException('No model is loaded', 'InvalidStateError');
      stopping = new InterruptableStoppingCriteria();
      try {
        return await generateReply({ model, tokenizer, promptCache, stopping }, turns, options, onDelta);
      } catch (cause) {
        // A failed run may leave the kept keys and values half-written: the next prompt starts afresh.
        await promptCache.clear().catch(() => undefined);
        throw cause;
      } finally {
        stopping = undefined;
      }
    },

    countTokens(texts) {
      if (!tokenizer) throw new DOMException('No model is loaded', 'InvalidStateError');
      const loaded = tokenizer;
      return texts.map((text) => loaded.encode(text, { add_special_tokens: false }).length);
    },

    interrupt() {
      stopping?.interrupt();
    },

    async unload() {
      currentLoad?.abort();
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
