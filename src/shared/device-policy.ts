/**
 * Which model this device is offered, on which backend, with which files, and which one it is
 * recommended. Decided before anything downloads, from the adapter alone, so that no user fetches
 * gigabytes that cannot load. The limits are measured, not guessed (`npm run verify:sizes`):
 * - ONNX Runtime Web parses the whole .onnx protobuf inside its wasm heap before anything reaches
 *   the GPU: the 1.97 GB q4 file fails with std::bad_alloc on wasm and on WebGPU alike; 1.85 GB loads.
 * - q4f16 does fp16 maths: WebGPU needs `shader-f16` for it.
 * - WebLLM asks the adapter for maxBufferSize ≥ 256 MiB and maxStorageBufferBindingSize ≥ 128 MiB
 *   and fails below that (its lib/index.js, the device request). Total GPU memory is not exposed.
 */
import type { Backend, ModelRecord, ModelVariant } from './catalog';

/** The largest .onnx file ONNX Runtime Web can parse here: 1.85 GB loads, 1.97 GB does not. */
export const ONNX_FILE_LIMIT_BYTES = 1_900_000_000;
/** WebLLM's fallback floors for the adapter's limits (below them it throws on device request). */
export const WEBLLM_MIN_BUFFER_BYTES = 256 * 1024 * 1024;
export const WEBLLM_MIN_BINDING_BYTES = 128 * 1024 * 1024;

/** What the adapter check found (src/lib/gpu.ts), reduced to what the policy needs. */
export interface DeviceFacts {
  webgpu: boolean;
  shaderF16: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

/** The three kinds of device the policy tells apart. */
export type DeviceClass = 'webgpu-f16' | 'webgpu' | 'no-webgpu';

export function deviceClass(facts: DeviceFacts): DeviceClass {
  if (!facts.webgpu) return 'no-webgpu';
  return facts.shaderF16 ? 'webgpu-f16' : 'webgpu';
}

/** Why a model is not offered here. */
export type Refusal = 'needs-webgpu' | 'needs-shader-f16' | 'gpu-limits' | 'file-too-large';

/** How an offered model runs here. */
export interface Placement {
  backend: Backend;
  /** The ONNX variant (transformers.js records); WebLLM records have one build each. */
  variant?: ModelVariant;
  downloadBytes: number;
  /** Memory it takes: GPU memory on WebGPU, the page's memory on the processor. */
  memoryMB: number;
}

export type ModelChoice =
  | { model: ModelRecord; placement: Placement; refusal?: undefined }
  | { model: ModelRecord; placement?: undefined; refusal: Refusal };

/** Why the recommended model is the one for this device (one line, in the message table). */
export type RecommendReason = 'gpu-f16' | 'gpu-no-f16' | 'processor';

export interface DevicePlan {
  deviceClass: DeviceClass;
  choices: ModelChoice[];
  /** The model to start with here, or undefined when nothing can load. */
  recommended?: { id: string; reason: RecommendReason };
}

function refusalFor(
  model: ModelRecord,
  backend: Backend,
  requiredFeatures: readonly GPUFeatureName[],
  facts: DeviceFacts,
  modelFileBytes: number,
): Refusal | undefined {
  // The wall is in ONNX Runtime's wasm heap: it holds for WebGPU too.
  if (model.runtime === 'transformers' && modelFileBytes > ONNX_FILE_LIMIT_BYTES) return 'file-too-large';
  if (backend !== 'webgpu') return undefined;
  if (!facts.webgpu) return 'needs-webgpu';
  if (requiredFeatures.includes('shader-f16') && !facts.shaderF16) return 'needs-shader-f16';
  if (
    model.runtime === 'webllm' &&
    (facts.maxBufferSize < WEBLLM_MIN_BUFFER_BYTES ||
      facts.maxStorageBufferBindingSize < WEBLLM_MIN_BINDING_BYTES)
  ) {
    return 'gpu-limits';
  }
  return undefined;
}

const MB = 1024 * 1024;

/**
 * The first variant and backend (in the record's order of preference) that can load here; else
 * the reason the preferred one cannot, which says what the device lacks.
 */
export function chooseFor(model: ModelRecord, facts: DeviceFacts): ModelChoice {
  let firstRefusal: Refusal | undefined;
  const consider = (placement: Placement, features: readonly GPUFeatureName[], fileBytes: number) => {
    const refusal = refusalFor(model, placement.backend, features, facts, fileBytes);
    if (!refusal) return true;
    firstRefusal ??= refusal;
    return false;
  };
  if (model.variants) {
    for (const variant of model.variants) {
      for (const backend of variant.backends) {
        const placement: Placement = {
          backend,
          variant,
          downloadBytes: variant.downloadBytes,
          memoryMB: backend === 'webgpu' ? variant.vramMB : variant.ramMB,
        };
        if (consider(placement, variant.requiredFeatures, variant.modelFileBytes))
          return { model, placement };
      }
    }
  } else {
    const backend: Backend = model.device === 'webgpu' || facts.webgpu ? 'webgpu' : 'wasm';
    const placement: Placement = { backend, downloadBytes: model.downloadMB * MB, memoryMB: model.vramMB };
    if (model.device === 'none') return { model, placement: { ...placement, backend: 'wasm', memoryMB: 0 } };
    if (consider(placement, model.requiredFeatures, 0)) return { model, placement };
  }
  return { model, refusal: firstRefusal ?? 'needs-webgpu' };
}

/**
 * The recommendation: on a GPU, the smallest download that runs on it (the 1.5B with shader-f16,
 * else a q4f32 build); without one, the smallest that runs on the processor. Test-only records are
 * offered but never recommended over a real model.
 */
function recommend(choices: ModelChoice[], kind: DeviceClass): DevicePlan['recommended'] {
  const offered = choices.filter((choice) => choice.placement !== undefined);
  const real = offered.filter((choice) => !choice.model.testOnly);
  const pool = real.length > 0 ? real : offered;
  const bySize = (backend: Backend) =>
    pool
      .filter((choice) => choice.placement?.backend === backend)
      .sort((a, b) => (a.placement?.downloadBytes ?? 0) - (b.placement?.downloadBytes ?? 0))[0];
  const onGpu = kind === 'no-webgpu' ? undefined : bySize('webgpu');
  if (onGpu) return { id: onGpu.model.id, reason: kind === 'webgpu-f16' ? 'gpu-f16' : 'gpu-no-f16' };
  const onCpu = bySize('wasm');
  return onCpu ? { id: onCpu.model.id, reason: 'processor' } : undefined;
}

/** The whole plan for a device: every model's choice, and the one to start with. */
export function planFor(models: readonly ModelRecord[], facts: DeviceFacts): DevicePlan {
  const kind = deviceClass(facts);
  const choices = models.map((model) => chooseFor(model, facts));
  return { deviceClass: kind, choices, recommended: recommend(choices, kind) };
}
