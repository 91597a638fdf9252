/**
 * The engine with nothing around it: the real transformers.js runtime (the module the app's engine
 * worker loads), driven directly. The reply's deltas stay in this worker; only their times leave it,
 * once, when the reply ends, so nothing here costs anything per token beyond the runtime itself —
 * unless the page asks for them to be relayed, in batches (one comlink call each) as often as the app's
 * worker sends them.
 */
import * as Comlink from 'comlink';
import { findModel } from '../../src/shared/catalog';
import type { ChatTurn, GenerateOptions, GenerationStats, LoadOptions } from '../../src/shared/engine';
import { DeltaRelay, relayIntervalMs } from '../../workers/delta-relay';
import { createTransformersRuntime } from '../../workers/runtimes/transformers';

/** One reply: the runtime's stats and when (epoch ms) the call began and each delta arrived. */
export interface RawReply {
  stats: GenerationStats;
  startedAt: number;
  deltaAt: number[];
  text: string;
}

let runtime = createTransformersRuntime();
/** The app's engine worker relays at this interval for the same model and backend. */
let relayMs = relayIntervalMs({ onCpu: false, cores: navigator.hardwareConcurrency });
const now = () => performance.timeOrigin + performance.now();

const api = {
  /** With `reusePromptPrefix: false`, every prompt is prefilled whole (the turn-cost bench). */
  async load(modelId: string, options: LoadOptions, reusePromptPrefix = true): Promise<void> {
    const model = findModel(modelId);
    if (!model) throw new Error(`No model "${modelId}" in this build`);
    await runtime.unload();
    runtime = createTransformersRuntime({ reusePromptPrefix });
    await runtime.load(model, options, () => undefined);
    relayMs = relayIntervalMs({
      onCpu: options.preferWasm === true && model.device === 'webgpu-or-wasm',
      cores: navigator.hardwareConcurrency,
    });
  },

  /** With `relay`, each delta is also handed to the page as the app's engine worker does it. */
  async generate(
    turns: ChatTurn[],
    options: GenerateOptions,
    relay?: (deltas: string[]) => void,
  ): Promise<RawReply> {
    const deltaAt: number[] = [];
    let text = '';
    const relayed = relay && new DeltaRelay((deltas) => void relay(deltas), relayMs);
    const startedAt = now();
    const stats = await runtime.generate(turns, options, (delta) => {
      deltaAt.push(now());
      text += delta;
      relayed?.push(delta);
    });
    relayed?.flush();
    return { stats, startedAt, deltaAt, text };
  },
};

export type RawEngineApi = typeof api;

Comlink.expose(api);
