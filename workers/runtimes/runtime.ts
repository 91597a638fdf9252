/**
 * The interface every runtime in the engine worker implements (WebLLM, transformers.js, and the
 * scripted test runtime), so the worker can own one loaded model without knowing which kind it is.
 */
import type { ModelRecord } from '../../src/shared/catalog';
import type {
  ChatTurn,
  GenerateOptions,
  GenerationStats,
  LoadOptions,
  LoadReport,
} from '../../src/shared/engine';

export interface Runtime {
  load(model: ModelRecord, options: LoadOptions, onProgress: (report: LoadReport) => void): Promise<void>;
  /** Streams the reply through `onDelta`; resolves with stats, also when interrupted. */
  generate(
    turns: ChatTurn[],
    options: GenerateOptions,
    onDelta: (text: string) => void,
  ): Promise<GenerationStats>;
  /**
   * How many tokens each text takes in the loaded model's tokenizer (no special tokens added);
   * absent where the runtime exposes no tokenizer (WebLLM 0.2.86 keeps its own private).
   */
  countTokens?(texts: string[]): number[];
  /** Ends a generation as soon as the runtime can; the pending `generate` resolves with 'abort'. */
  interrupt(): void;
  /** Frees the model; aborts a load in progress. */
  unload(): Promise<void>;
  deleteCached(model: ModelRecord): Promise<void>;
}

export type RuntimeFactory = () => Promise<Runtime>;
