/**
 * The contract between the page and the engine worker: what goes in, what comes out, and the
 * stable error names that cross the boundary (comlink keeps an Error's `name` and `message`).
 */

export type ChatRole = 'system' | 'user' | 'assistant';

/**
 * One turn of the prompt. When the LAST turn is an assistant turn, the engine continues it: its
 * content is exactly the text the model generated so far in that reply (thought included, as
 * streamed), placed after the generation prompt with no end-of-turn token, and the new deltas
 * carry on from it (a true continuation, as if the reply had never stopped).
 *
 * When the rendered prompt itself opens the thought (a chat template ending in "<think>\n"), the
 * runtime streams that opening as the reply's first delta, so every reply says where its thought
 * begins: text before any tag is answer, and a reply with no tags at all is an answer. A continued
 * reply that begins with that opening is placed over it, not after it.
 */
export interface ChatTurn {
  role: ChatRole;
  content: string;
}

export interface GenerateOptions {
  temperature: number;
  topP: number;
  maxTokens: number;
}

export type FinishReason = 'stop' | 'length' | 'abort';

export interface GenerationStats {
  promptTokens: number;
  /** Prompt tokens computed for this reply; the rest came from the runtime's kept cache. */
  prefilledTokens?: number;
  completionTokens: number;
  /** Milliseconds from the request to the first streamed token. */
  timeToFirstTokenMs: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  finishReason: FinishReason;
}

/** What the worker's `generate` resolves with: the stats, and how many batches of deltas it sent. */
export interface GenerationResult extends GenerationStats {
  /**
   * Batches travel on the callback's own message channel and the result on the worker's, so the
   * result can arrive first; the page waits until it has this many.
   */
  deltaCount: number;
}

/** What the model is doing while it loads. */
export type LoadPhase = 'downloading' | 'loading' | 'compiling' | 'ready';

/** One progress report from a runtime; speed and time left are derived by the page. */
export interface LoadReport {
  phase: LoadPhase;
  /** 0..1 of the current phase. */
  fraction: number;
  /** Bytes downloaded so far and in all, when the runtime knows them. */
  loadedBytes?: number;
  totalBytes?: number;
}

/** Options the page passes when loading a model. */
export interface LoadOptions {
  /** Use the CPU (wasm) backend instead of WebGPU, where the runtime has one. */
  preferWasm?: boolean;
  /** Whether the GPU has `shader-f16` (picks the q4f16 weights when it does). */
  shaderF16?: boolean;
  /** The weight variant the device policy chose (transformers.js dtype); overrides `shaderF16`. */
  dtype?: 'q4f16' | 'q4' | 'q8';
}

/** How the model downloader behaves; unset fields take the product's defaults (workers/download/). */
export interface DownloadTuning {
  chunkBytes?: number;
  /** Requests in flight; 1 means one stream per file (each gap in one request). */
  parallel?: number;
  /** A request that receives nothing for this long is dropped and retried. */
  stallMs?: number;
  /** Attempts per request before the download stops with a NetworkError. */
  attempts?: number;
}

/** Error names that cross from the worker to the page. Anything else arrives as `UnknownError`. */
export const engineErrorNames = [
  'WebGPUNotAvailableError',
  'ShaderF16SupportError',
  'DeviceLostError',
  'OutOfMemoryError',
  'NetworkError',
  'QuotaExceededError',
  'ModelNotFoundError',
  'ModelLibraryError',
  'ContextWindowSizeExceededError',
  'EngineBusyError',
  'NoModelLoadedError',
  'AbortError',
  /** The engine worker itself died (a crash, an out-of-memory kill); the model is gone. */
  'EngineCrashedError',
  'UnknownError',
] as const;

export type EngineErrorName = (typeof engineErrorNames)[number];

export function isEngineErrorName(name: unknown): name is EngineErrorName {
  return typeof name === 'string' && (engineErrorNames as readonly string[]).includes(name);
}

/**
 * An engine failure with one of the stable names; its message is the detail for the log, never shown.
 * The worker throws it; comlink carries only an error's name and message across, so the page makes
 * it again from those with `asEngineError`.
 */
export class EngineError extends Error {
  override readonly name: EngineErrorName;
  constructor(name: EngineErrorName, detail: string) {
    super(detail);
    this.name = name;
  }
}

/** The EngineError a failure stands for: one that crossed from the worker keeps its name. */
export function asEngineError(cause: unknown): EngineError {
  if (cause instanceof EngineError) return cause;
  const name = cause instanceof Error || cause instanceof DOMException ? cause.name : '';
  const detail = cause instanceof Error || cause instanceof DOMException ? cause.message : String(cause);
  return new EngineError(isEngineErrorName(name) ? name : 'UnknownError', detail);
}
