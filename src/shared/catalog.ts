/**
 * The model catalog, read by the page (to offer and check models) and by the engine worker (to load
 * them). One record per model. Sizes are what the user downloads and the GPU memory WebLLM reports
 * needing (its prebuilt config, v0.2.86); the 1.5B figures are the ONNX files' sizes.
 */
import { testModelsEnabled } from './config';

export type RuntimeKind = 'webllm' | 'transformers' | 'scripted';

/** What a model needs from the device. */
export type DeviceNeed = 'webgpu' | 'webgpu-or-wasm' | 'none';

export interface ModelRecord {
  /** Stable id, also WebLLM's `model_id`. */
  id: string;
  name: string;
  /** Parameter count and quantization, shown beside the name. */
  variant: string;
  runtime: RuntimeKind;
  /** Repository path on the model host (`org/name`). */
  repo: string;
  downloadMB: number;
  vramMB: number;
  /** GPU features the model cannot run without. */
  requiredFeatures: GPUFeatureName[];
  device: DeviceNeed;
  contextWindow: number;
  /** WebLLM only: the model library file under `<modelLibHost>/v0_2_86/base/`. */
  modelLib?: string;
  /** Only offered in test builds. */
  testOnly?: boolean;
}

const webllmDistill = (
  id: string,
  variant: string,
  modelLib: string,
  downloadMB: number,
  vramMB: number,
  f16: boolean,
): ModelRecord => ({
  id,
  name: id.startsWith('DeepSeek-R1-Distill-Llama') ? 'DeepSeek-R1 Distill Llama' : 'DeepSeek-R1 Distill Qwen',
  variant,
  runtime: 'webllm',
  repo: `mlc-ai/${id}`,
  downloadMB,
  vramMB,
  requiredFeatures: f16 ? ['shader-f16'] : [],
  device: 'webgpu',
  contextWindow: 4096,
  modelLib,
});

const productionModels: ModelRecord[] = [
  {
    id: 'DeepSeek-R1-Distill-Qwen-1.5B-ONNX',
    name: 'DeepSeek-R1 Distill Qwen',
    variant: '1.5B · q4',
    runtime: 'transformers',
    repo: 'onnx-community/DeepSeek-R1-Distill-Qwen-1.5B-ONNX',
    downloadMB: 1280,
    vramMB: 2000,
    requiredFeatures: [],
    device: 'webgpu-or-wasm',
    contextWindow: 4096,
  },
  webllmDistill(
    'DeepSeek-R1-Distill-Qwen-7B-q4f16_1-MLC',
    '7B · q4f16',
    'Qwen2-7B-Instruct-q4f16_1_cs1k-webgpu.wasm',
    4290,
    5107,
    true,
  ),
  webllmDistill(
    'DeepSeek-R1-Distill-Qwen-7B-q4f32_1-MLC',
    '7B · q4f32',
    'Qwen2-7B-Instruct-q4f32_1_cs1k-webgpu.wasm',
    4310,
    5900,
    false,
  ),
  webllmDistill(
    'DeepSeek-R1-Distill-Llama-8B-q4f16_1-MLC',
    '8B · q4f16',
    'Llama-3_1-8B-Instruct-q4f16_1_cs1k-webgpu.wasm',
    4520,
    5001,
    true,
  ),
  webllmDistill(
    'DeepSeek-R1-Distill-Llama-8B-q4f32_1-MLC',
    '8B · q4f32',
    'Llama-3_1-8B-Instruct-q4f32_1_cs1k-webgpu.wasm',
    4540,
    6101,
    false,
  ),
];

const testModels: ModelRecord[] = [
  {
    id: 'scripted-test',
    name: 'Scripted test model',
    variant: 'no weights',
    runtime: 'scripted',
    repo: 'harbour-test/scripted',
    downloadMB: 12,
    vramMB: 0,
    requiredFeatures: [],
    device: 'none',
    contextWindow: 4096,
    testOnly: true,
  },
  {
    id: 'tiny-r1',
    name: 'Tiny R1 (test)',
    variant: 'tiny · q4',
    runtime: 'transformers',
    repo: 'harbour-test/tiny-r1',
    downloadMB: 31,
    vramMB: 16,
    requiredFeatures: [],
    device: 'webgpu-or-wasm',
    contextWindow: 512,
    testOnly: true,
  },
  // The same tiny model with R1's first template (the prompt ends at <｜Assistant｜>), and one that
  // never thinks (tests/fixtures/make_tiny_model.py).
  {
    id: 'tiny-r1-plain',
    name: 'Tiny R1, first template (test)',
    variant: 'tiny · q4',
    runtime: 'transformers',
    repo: 'harbour-test/tiny-r1-plain',
    downloadMB: 31,
    vramMB: 16,
    requiredFeatures: [],
    device: 'webgpu-or-wasm',
    contextWindow: 512,
    testOnly: true,
  },
  {
    id: 'tiny-r1-direct',
    name: 'Tiny R1, never thinks (test)',
    variant: 'tiny · q4',
    runtime: 'transformers',
    repo: 'harbour-test/tiny-r1-direct',
    downloadMB: 31,
    vramMB: 16,
    requiredFeatures: [],
    device: 'webgpu-or-wasm',
    contextWindow: 512,
    testOnly: true,
  },
  {
    id: 'tiny-webllm',
    name: 'Tiny WebLLM (test)',
    variant: 'download path only',
    runtime: 'webllm',
    repo: 'harbour-test/tiny-webllm',
    downloadMB: 1,
    vramMB: 16,
    requiredFeatures: [],
    device: 'webgpu',
    contextWindow: 512,
    modelLib: 'tiny-webllm-webgpu.wasm',
    testOnly: true,
  },
];

/** Every model this build offers, the default first. */
export const catalog: readonly ModelRecord[] = testModelsEnabled
  ? [...productionModels, ...testModels]
  : productionModels;

export const defaultModelId = productionModels[0].id;

/** The record for `id`, or undefined when this build does not offer it. */
export function findModel(id: string): ModelRecord | undefined {
  return catalog.find((model) => model.id === id);
}
