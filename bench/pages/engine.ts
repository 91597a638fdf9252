/**
 * The bare-engine page: starts bench/pages/engine.worker.ts and chooses the backend exactly as the
 * app does (src/lib/gpu.ts: wasm when the page finds no WebGPU adapter), then waits for the bench.
 */
import * as Comlink from 'comlink';
import { findModel } from '../../src/shared/catalog';
import type { ChatTurn, GenerateOptions } from '../../src/shared/engine';
import { checkGpu, runsOnCpu } from '../../src/lib/gpu';
import type { RawEngineApi, RawReply } from './engine.worker';

export interface RawEnginePage {
  /** Loads the model; resolves with the backend the app would pick here. */
  load(modelId: string, reusePromptPrefix?: boolean): Promise<'wasm' | 'webgpu'>;
  /** With `relay`, every delta also crosses to this page (which does nothing with it), as in the app. */
  generate(turns: ChatTurn[], options: GenerateOptions, relay: boolean): Promise<RawReply>;
}

declare global {
  interface Window {
    rawEngine?: RawEnginePage;
  }
}

const engine = Comlink.wrap<RawEngineApi>(
  new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'bench-engine' }),
);

window.rawEngine = {
  async load(modelId, reusePromptPrefix = true) {
    const model = findModel(modelId);
    if (!model) throw new Error(`No model "${modelId}" in this build`);
    const gpu = await checkGpu();
    const preferWasm = runsOnCpu(model, gpu);
    await engine.load(modelId, { preferWasm, shaderF16: gpu.shaderF16 }, reusePromptPrefix);
    return preferWasm ? 'wasm' : 'webgpu';
  },
  generate: (turns, options, relay) =>
    engine.generate(turns, options, relay ? Comlink.proxy(() => undefined) : undefined),
};
