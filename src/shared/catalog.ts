/**
 * The model catalog, read by the page (to offer and check models) and by the engine worker (to load
 * them). One record per model. WebLLM figures are its prebuilt config's (v0.2.86). The 1.5B lists
 * each ONNX variant with its real file size from the model repository's listing
 * (huggingface.co/onnx-community/DeepSeek-R1-Distill-Qwen-1.5B-ONNX/tree/main/onnx); which variant a
 * device gets is decided by src/shared/device-policy.ts.
 */
import { testModelsEnabled } from './config';

export type RuntimeKind = 'webllm' | 'transformers' | 'scripted';

/** What a model needs from the device. */
export type DeviceNeed = 'webgpu' | 'webgpu-or-wasm' | 'none';

/** Where a model's maths runs: the GPU (WebGPU) or the processor (WebAssembly). */
export type Backend = 'webgpu' | 'wasm';

/** One set of weights of a model, as the runtime names it (a transformers.js dtype). */
export interface ModelVariant {
  /** transformers.js `dtype`, which picks the file (`q4f16` → `onnx/model_q4f16.onnx`). */
  dtype: 'q4f16' | 'q4' | 'q8';
  /** The ONNX file; ONNX Runtime Web must hold all of it in its wasm heap at once. */
  modelFile: string;
  modelFileBytes: number;
  /** Every file the variant downloads (the ONNX file, tokenizer and configs). */
  downloadBytes: number;
  /** Backends it runs on, best first, and what WebGPU needs for it. */
  backends: Backend[];
  requiredFeatures: GPUFeatureName[];
  /** GPU memory on WebGPU: weights, a full 4,096-token KV cache and a prompt's logits. */
  vramMB: number;
  /** Memory on the processor path: the peak measured by `npm run verify:sizes`. */
  ramMB: number;
}

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
  /** The record's weight variants, preferred first (transformers.js records). */
  variants?: ModelVariant[];
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

/** tokenizer.json (9.12 MB in the listing) plus config.json, generation_config.json, tokenizer_config.json. */
const ONNX_SIDE_FILES_BYTES = 9_140_000;

/**
 * The 1.5B's ONNX files as listed (decimal GB, as the model host shows them). Their layout, checked
 * by building files of exactly these sizes (scripts/verify-sizes/make_models.py): 28 layers of
 * 4-bit MatMulNBits (block 32) or int8 MatMulInteger, the 151936×1536 embedding (fp16 in q4f16, fp32
 * in q4, int8 in q8), lm_head, and 131072×64 rotary tables.
 */
const onnxVariant = (
  dtype: ModelVariant['dtype'],
  modelFileBytes: number,
  fields: Pick<ModelVariant, 'backends' | 'requiredFeatures' | 'vramMB' | 'ramMB'>,
): ModelVariant => ({
  dtype,
  modelFile: dtype === 'q8' ? 'onnx/model_quantized.onnx' : `onnx/model_${dtype}.onnx`,
  modelFileBytes,
  downloadBytes: modelFileBytes + ONNX_SIDE_FILES_BYTES,
  ...fields,
});

const MB = 1024 * 1024;

const productionModels: ModelRecord[] = [
  {
    id: 'DeepSeek-R1-Distill-Qwen-1.5B-ONNX',
    name: 'DeepSeek-R1 Distill Qwen',
    variant: '1.5B',
    runtime: 'transformers',
    repo: 'onnx-community/DeepSeek-R1-Distill-Qwen-1.5B-ONNX',
    downloadMB: Math.round((1_370_000_000 + ONNX_SIDE_FILES_BYTES) / MB),
    vramMB: 1900,
    requiredFeatures: [],
    device: 'webgpu-or-wasm',
    contextWindow: 4096,
    variants: [
      // fp16 maths: on WebGPU only with shader-f16 (without it ONNX Runtime fails at the first run:
      // "Program Gather requires f16"). It also loads on wasm, but the CPU kernels run fp16 through
      // inserted casts: one decode step took 19.9 s here against 5.2 s for q8.
      onnxVariant('q4f16', 1_370_000_000, {
        backends: ['webgpu'],
        requiredFeatures: ['shader-f16'],
        vramMB: 1900,
        ramMB: 0,
      }),
      // int8 weights, fp32 maths: WebGPU without shader-f16, and the processor. 1.85 GB is under the
      // wall: it loads on both (verify:sizes). GPU memory: weights, an fp32 4,096-token KV cache
      // (235 MB) and a prompt's logits; on the processor, the peak measured while it loads.
      onnxVariant('q8', 1_850_000_000, {
        backends: ['webgpu', 'wasm'],
        requiredFeatures: [],
        vramMB: 2500,
        ramMB: 6600,
      }),
      // fp32 embedding: 1.97 GB, past what ONNX Runtime Web can parse (std::bad_alloc), so the
      // policy refuses it before anything downloads.
      onnxVariant('q4', 1_970_000_000, {
        backends: ['webgpu', 'wasm'],
        requiredFeatures: [],
        vramMB: 2500,
        ramMB: 0,
      }),
    ],
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

// The generated fixture's sizes (tests/fixtures/make_tiny_model.py): the weights, then the
// tokenizer and configs (the real Qwen vocabulary makes tokenizer.json 11 MB).
const tinyVariant: ModelVariant = {
  dtype: 'q4',
  modelFile: 'onnx/model_q4.onnx',
  modelFileBytes: 11_045_291,
  downloadBytes: 11_045_291 + 11_431_000,
  backends: ['webgpu'],
  requiredFeatures: [],
  vramMB: 16,
  ramMB: 16,
};

// The fixture's files are fp32 under every name, so the f16 path works on any adapter; the variants
// mirror the 1.5B's choice (f16 GPUs get the q4f16 file).
const tinyVariants: ModelVariant[] = [
  { ...tinyVariant, dtype: 'q4f16', modelFile: 'onnx/model_q4f16.onnx', requiredFeatures: ['shader-f16'] },
  { ...tinyVariant, backends: ['webgpu', 'wasm'] },
];

/** A generated tiny model (one of the fixture's three), served as `harbour-test/<id>`. */
const tinyModel = (id: string, name: string): ModelRecord => ({
  id,
  name,
  variant: 'tiny · q4',
  runtime: 'transformers',
  repo: `harbour-test/${id}`,
  downloadMB: 31,
  vramMB: 16,
  requiredFeatures: [],
  device: 'webgpu-or-wasm',
  contextWindow: 512,
  testOnly: true,
  variants: tinyVariants,
});

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
  tinyModel('tiny-r1', 'Tiny R1 (test)'),
  // The same tiny model with R1's first template (the prompt ends at <｜Assistant｜>), and one that
  // never thinks (tests/fixtures/make_tiny_model.py).
  tinyModel('tiny-r1-plain', 'Tiny R1, first template (test)'),
  tinyModel('tiny-r1-direct', 'Tiny R1, never thinks (test)'),
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
