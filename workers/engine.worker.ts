/**
 * The engine thread. It owns at most one loaded model and the runtime that runs it; the page talks
 * to it only through src/lib/engine/bridge.ts (comlink). Runtimes are imported lazily so that
 * each engine library is fetched only when a model of its kind is loaded.
 */
import * as Comlink from 'comlink';
import { findModel, type ModelRecord, type RuntimeKind } from '../src/shared/catalog';
import {
  EngineError,
  type ChatTurn,
  type GenerateOptions,
  type GenerationResult,
  type LoadOptions,
  type LoadReport,
} from '../src/shared/engine';
import { DeltaRelay, relayIntervalMs } from './delta-relay';
import { toEngineError } from './errors';
import type { Runtime, RuntimeFactory } from './runtimes/runtime';

const unavailable: RuntimeFactory = () =>
  Promise.reject(new EngineError('ModelNotFoundError', 'This runtime is not part of this build'));

const factories: Record<RuntimeKind, RuntimeFactory> = {
  webllm: async () => (await import('./runtimes/webllm')).createWebllmRuntime(),
  transformers: async () => (await import('./runtimes/transformers')).createTransformersRuntime(),
  // Written out here (not via config.ts) so the bundler drops the test runtime from production builds.
  scripted:
    import.meta.env.VITE_TEST_MODELS === 'true'
      ? async () => (await import('./runtimes/scripted')).createScriptedRuntime()
      : unavailable,
};

/**
 * This worker holds a Web Lock named after it for as long as it lives; the page waits for the same
 * lock, which it gets only once the worker is gone (a crash, an out-of-memory kill, `close()`), the
 * one sign of such a death that reaches the page (no event is fired for it).
 */
const alive: Promise<void> = new Promise((resolve) => {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return resolve();
  void locks.request(`harbour-engine-alive:${self.name}`, () => {
    resolve();
    return new Promise<never>(() => undefined);
  });
});

const runtimes = new Map<RuntimeKind, Promise<Runtime>>();
interface LoadedModel {
  model: ModelRecord;
  runtime: Runtime;
  /** How often streamed deltas leave for the page (see delta-relay.ts). */
  relayMs: number;
}
let loaded: LoadedModel | undefined;
let loading: LoadedModel | undefined;
let generating = false;
/** How many unloads (cancels included) have run; a load compares it to notice a cancel. */
let unloads = 0;

function runtimeFor(kind: RuntimeKind): Promise<Runtime> {
  let runtime = runtimes.get(kind);
  if (!runtime) {
    runtime = factories[kind]();
    runtime.catch(() => runtimes.delete(kind));
    runtimes.set(kind, runtime);
  }
  return runtime;
}

function modelOrThrow(id: string): ModelRecord {
  const model = findModel(id);
  if (!model) throw new EngineError('ModelNotFoundError', `No model "${id}" in this build`);
  return model;
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (cause) {
    const error = toEngineError(cause);
    if (error.name !== 'AbortError') console.error('[engine]', cause);
    throw error;
  }
}

const api = {
  /** Resolves once this worker holds its liveness lock. */
  alive(): Promise<void> {
    return alive;
  },

  /** Loads a model, replacing any loaded one; progress arrives through `onProgress`. */
  load(modelId: string, options: LoadOptions, onProgress: (report: LoadReport) => void): Promise<void> {
    return guarded(async () => {
      const model = modelOrThrow(modelId);
      if (generating) throw new EngineError('EngineBusyError', 'A reply is being generated');
      if (loaded?.model.id === modelId) return;
      // A cancel can arrive while the old model unloads or the runtime is still being imported,
      // before `loading` is set: every unload bumps `unloads` (this load's own one included), so
      // this load sees any other and stops.
      const unloadsAfterOwn = unloads + 1;
      await api.unload();
      const runtime = await runtimeFor(model.runtime);
      if (unloads !== unloadsAfterOwn) throw new EngineError('AbortError', 'Load cancelled');
      // Compared by identity: a cancelled load of the same model on the same runtime that finishes
      // late must neither become `loaded` nor clear the newer load's `loading`.
      const relayMs = relayIntervalMs({
        onCpu: options.preferWasm === true && model.device === 'webgpu-or-wasm',
        cores: navigator.hardwareConcurrency,
      });
      const attempt = { model, runtime, relayMs };
      loading = attempt;
      try {
        await runtime.load(model, options, (report) => {
          if (loading === attempt) void onProgress(report);
        });
        if (loading !== attempt) throw new EngineError('AbortError', 'Load cancelled');
        loaded = attempt;
      } finally {
        if (loading === attempt) loading = undefined;
      }
    });
  },

  /**
   * Streams a reply to `turns` and resolves with its stats. The deltas go out on `deltas`, a port of
   * their own, as arrays posted about once per page update (delta-relay.ts); one-way: a comlink
   * callback would cost a reply message and a pending promise per batch, on both threads.
   */
  generate(turns: ChatTurn[], options: GenerateOptions, deltas: MessagePort): Promise<GenerationResult> {
    return guarded(async () => {
      try {
        if (!loaded) throw new EngineError('NoModelLoadedError', 'No model is loaded');
        if (generating) throw new EngineError('EngineBusyError', 'A reply is being generated');
        generating = true;
        const relay = new DeltaRelay((batch) => deltas.postMessage(batch), loaded.relayMs);
        try {
          const stats = await loaded.runtime.generate(turns, options, (text) => relay.push(text));
          relay.flush();
          return { ...stats, deltaCount: relay.batches };
        } finally {
          relay.flush();
          generating = false;
        }
      } finally {
        deltas.close();
      }
    });
  },

  /**
   * Each text's token count in `modelId`'s tokenizer; undefined when that model is not the one
   * loaded or its runtime has no tokenizer to offer (the page then estimates).
   */
  countTokens(modelId: string, texts: string[]): Promise<number[] | undefined> {
    return guarded(async () => {
      if (loaded?.model.id !== modelId) return undefined;
      return loaded.runtime.countTokens?.(texts);
    });
  },

  /** Stops the reply being generated; its `generate` call resolves with finishReason 'abort'. */
  interrupt(): void {
    loaded?.runtime.interrupt();
  },

  /** Frees the loaded model, or cancels a load in progress. */
  unload(): Promise<void> {
    return guarded(async () => {
      unloads++;
      const current = loading ?? loaded;
      loading = undefined;
      loaded = undefined;
      await current?.runtime.unload();
    });
  },

  /** Deletes the model's downloaded files, unloading it first if needed. */
  deleteCached(modelId: string): Promise<void> {
    return guarded(async () => {
      const model = modelOrThrow(modelId);
      if (loaded?.model.id === modelId) await api.unload();
      await (await runtimeFor(model.runtime)).deleteCached(model);
    });
  },
};

export type EngineApi = typeof api;

Comlink.expose(api);
