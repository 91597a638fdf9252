/**
 * The one bridge to the engine worker. It starts the worker on first use, wraps it with comlink,
 * and turns every failure into an EngineError (src/shared/engine.ts) with its stable name. No other module posts to the
 * worker. If the worker itself dies (a crash, an out-of-memory kill, an error event), its pending
 * calls fail with EngineCrashedError, `onEngineLost` listeners hear of it (its model is gone), and
 * the next call starts a new worker. A death fires no event: the worker holds a Web Lock named after
 * it for its whole life, and the bridge waits for that lock, which it is granted only then.
 */
import * as Comlink from 'comlink';
import type { EngineApi } from '../../../workers/engine.worker';
import {
  asEngineError,
  EngineError,
  type ChatTurn,
  type GenerateOptions,
  type GenerationStats,
  type LoadOptions,
  type LoadReport,
} from '../../shared/engine';

let worker: Worker | undefined;
let remote: Comlink.Remote<EngineApi> | undefined;
let crashed: ((failure: EngineError) => void)[] = [];
const lostListeners = new Set<(failure: EngineError) => void>();

/** Calls `listener` whenever the engine worker dies; returns a function that stops it. */
export function onEngineLost(listener: (failure: EngineError) => void): () => void {
  lostListeners.add(listener);
  return () => lostListeners.delete(listener);
}

function engine(): Comlink.Remote<EngineApi> {
  if (!remote) {
    const name = `harbour-engine-${crypto.randomUUID()}`;
    const started = new Worker(new URL('../../../workers/engine.worker.ts', import.meta.url), {
      type: 'module',
      name,
    });
    started.addEventListener('error', (event) => {
      console.error('[engine] worker failed', event.message);
      lost(started, event.message || 'The engine stopped');
    });
    worker = started;
    remote = Comlink.wrap<EngineApi>(started);
    void watch(started, remote, name);
  }
  return remote;
}

/** Waits for the worker's liveness lock, which is free only once the worker has died. */
async function watch(watched: Worker, api: Comlink.Remote<EngineApi>, name: string): Promise<void> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return;
  try {
    await api.alive();
    await locks.request(`harbour-engine-alive:${name}`, () => undefined);
  } catch {
    return; // released on purpose (terminated by us): nothing to report
  }
  lost(watched, 'The engine worker stopped');
}

/** The worker `dead` is gone: fail its pending calls, forget it, and tell the listeners. */
function lost(dead: Worker, detail: string): void {
  if (dead !== worker) return; // one we ended ourselves
  const failure = new EngineError('EngineCrashedError', detail);
  restart();
  for (const reject of crashed) reject(failure);
  crashed = [];
  for (const listener of lostListeners) listener(failure);
}

function restart() {
  remote?.[Comlink.releaseProxy]();
  worker?.terminate();
  worker = undefined;
  remote = undefined;
}

/** Runs one call to the worker; a worker crash rejects it instead of leaving it pending. */
async function call<T>(work: (api: Comlink.Remote<EngineApi>) => Promise<T>): Promise<T> {
  const api = engine();
  let onCrash: ((failure: EngineError) => void) | undefined;
  const crash = new Promise<never>((_, reject) => {
    onCrash = reject;
    crashed.push(reject);
  });
  try {
    return await Promise.race([work(api), crash]);
  } catch (cause) {
    throw asEngineError(cause);
  } finally {
    crashed = crashed.filter((reject) => reject !== onCrash);
  }
}

/** Loads a model; cancel with `signal` (the load rejects with code 'AbortError'). */
export function loadModel(
  modelId: string,
  options: LoadOptions,
  onProgress: (report: LoadReport) => void,
  signal?: AbortSignal,
): Promise<void> {
  const onAbort = () => void unloadModel();
  signal?.addEventListener('abort', onAbort, { once: true });
  // The proxied callback returns nothing: comlink sends a callback's return value back to the worker,
  // and a value it cannot clone (e.g. a Svelte state proxy from an assignment) fails every report.
  const report = Comlink.proxy((progress: LoadReport): void => {
    onProgress(progress);
  });
  return call((api) => api.load(modelId, options, report)).finally(() =>
    signal?.removeEventListener('abort', onAbort),
  );
}

/** How long to wait for deltas still in flight after the result arrived. */
const LATE_DELTA_MS = 2000;

/**
 * Streams a reply; aborting `signal` stops it and the call resolves with finishReason 'abort'.
 * Resolves only once every delta the worker sent has been handed to `onDelta`.
 */
export async function generate(
  turns: ChatTurn[],
  options: GenerateOptions,
  onDelta: (text: string) => void,
  signal?: AbortSignal,
): Promise<GenerationStats> {
  // A worker that is gone has nothing to stop (and must not be started again just for that).
  const onAbort = () => void (remote && call((api) => api.interrupt()));
  signal?.addEventListener('abort', onAbort, { once: true });
  let received = 0;
  let expected = Number.POSITIVE_INFINITY;
  let allArrived: (() => void) | undefined;
  // The worker posts deltas in batches (arrays of strings) on a port of their own, about once per
  // page update (workers/delta-relay.ts). A listener, not `onmessage`: the bench's probe times them.
  const deltas = new MessageChannel();
  deltas.port1.addEventListener('message', (event: MessageEvent<unknown>) => {
    const batch = event.data;
    if (!Array.isArray(batch)) return;
    onDelta(batch.filter((delta): delta is string => typeof delta === 'string').join(''));
    if (++received >= expected) allArrived?.();
  });
  deltas.port1.start();
  try {
    const { deltaCount, ...stats } = await call((api) =>
      api.generate(turns, options, Comlink.transfer(deltas.port2, [deltas.port2])),
    );
    if (received < deltaCount) {
      await new Promise<void>((resolve) => {
        expected = deltaCount;
        allArrived = resolve;
        setTimeout(resolve, LATE_DELTA_MS);
      });
    }
    return stats;
  } finally {
    deltas.port1.close();
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Each text's token count in the loaded model's tokenizer; undefined where none is available. */
export function countTokens(modelId: string, texts: string[]): Promise<number[] | undefined> {
  return call((api) => api.countTokens(modelId, texts));
}

export function unloadModel(): Promise<void> {
  return call((api) => api.unload());
}

export function deleteModelFiles(modelId: string): Promise<void> {
  return call((api) => api.deleteCached(modelId));
}
