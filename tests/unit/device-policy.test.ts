import { describe, expect, it } from 'vitest';
import { catalog, findModel, type ModelRecord } from '../../src/shared/catalog';
import {
  chooseFor,
  deviceClass,
  ONNX_FILE_LIMIT_BYTES,
  planFor,
  type DeviceFacts,
} from '../../src/shared/device-policy';

const f16Gpu: DeviceFacts = {
  webgpu: true,
  shaderF16: true,
  maxBufferSize: 2 ** 31,
  maxStorageBufferBindingSize: 2 ** 30,
};
// SwiftShader's adapter, as the e2e tests see it: WebGPU, no shader-f16, generous limits.
const plainGpu: DeviceFacts = { ...f16Gpu, shaderF16: false };
const noGpu: DeviceFacts = {
  webgpu: false,
  shaderF16: false,
  maxBufferSize: 0,
  maxStorageBufferBindingSize: 0,
};

const production = catalog.filter((model) => !model.testOnly);
const small = production[0];

function model(id: string): ModelRecord {
  const record = findModel(id);
  if (!record) throw new Error(`missing ${id}`);
  return record;
}

describe('deviceClass', () => {
  it('tells the three classes apart', () => {
    expect(deviceClass(f16Gpu)).toBe('webgpu-f16');
    expect(deviceClass(plainGpu)).toBe('webgpu');
    expect(deviceClass(noGpu)).toBe('no-webgpu');
  });
});

describe('the 1.5B ONNX model', () => {
  it('uses the q4f16 file on WebGPU with shader-f16', () => {
    const choice = chooseFor(small, f16Gpu);
    expect(choice.placement?.backend).toBe('webgpu');
    expect(choice.placement?.variant?.dtype).toBe('q4f16');
    expect(choice.placement?.downloadBytes).toBe(1_370_000_000 + 9_140_000);
  });

  it('uses the q8 file on WebGPU without shader-f16, and on the processor without WebGPU', () => {
    const gpu = chooseFor(small, plainGpu);
    expect(gpu.placement?.backend).toBe('webgpu');
    expect(gpu.placement?.variant?.modelFile).toBe('onnx/model_quantized.onnx');
    const cpu = chooseFor(small, noGpu);
    expect(cpu.placement?.backend).toBe('wasm');
    expect(cpu.placement?.variant?.dtype).toBe('q8');
  });

  it('never picks the 1.97 GB q4 file: it is past what ONNX Runtime Web can parse', () => {
    const q4 = small.variants?.find((variant) => variant.dtype === 'q4');
    expect(q4?.modelFileBytes).toBeGreaterThan(ONNX_FILE_LIMIT_BYTES);
    for (const facts of [f16Gpu, plainGpu, noGpu]) {
      expect(chooseFor(small, facts).placement?.variant?.dtype).not.toBe('q4');
    }
    const onlyQ4: ModelRecord = { ...small, variants: q4 ? [q4] : [] };
    expect(chooseFor(onlyQ4, f16Gpu)).toMatchObject({ refusal: 'file-too-large' });
    expect(chooseFor(onlyQ4, noGpu)).toMatchObject({ refusal: 'file-too-large' });
  });

  it('keeps every offered ONNX file under the limit', () => {
    for (const variant of small.variants ?? []) {
      if (variant.dtype !== 'q4') expect(variant.modelFileBytes).toBeLessThan(ONNX_FILE_LIMIT_BYTES);
    }
  });
});

describe('the WebLLM 7B/8B builds', () => {
  it('are all offered on a GPU with shader-f16', () => {
    for (const record of production.filter((m) => m.runtime === 'webllm')) {
      expect(chooseFor(record, f16Gpu).placement?.backend).toBe('webgpu');
    }
  });

  it('offer only q4f32 without shader-f16, and nothing without WebGPU', () => {
    expect(chooseFor(model('DeepSeek-R1-Distill-Qwen-7B-q4f16_1-MLC'), plainGpu).refusal).toBe(
      'needs-shader-f16',
    );
    expect(chooseFor(model('DeepSeek-R1-Distill-Qwen-7B-q4f32_1-MLC'), plainGpu).placement?.backend).toBe(
      'webgpu',
    );
    expect(chooseFor(model('DeepSeek-R1-Distill-Llama-8B-q4f32_1-MLC'), noGpu).refusal).toBe('needs-webgpu');
  });

  it('are refused when the adapter is below the limits WebLLM asks for', () => {
    const tiny: DeviceFacts = { ...f16Gpu, maxStorageBufferBindingSize: 64 * 1024 * 1024 };
    expect(chooseFor(model('DeepSeek-R1-Distill-Qwen-7B-q4f32_1-MLC'), tiny).refusal).toBe('gpu-limits');
  });
});

describe('planFor', () => {
  it('recommends the 1.5B q4f16 on a GPU with shader-f16', () => {
    expect(planFor(production, f16Gpu).recommended).toEqual({ id: small.id, reason: 'gpu-f16' });
  });

  it('recommends the 1.5B on the processor without WebGPU', () => {
    expect(planFor(production, noGpu).recommended).toEqual({ id: small.id, reason: 'processor' });
  });

  it('recommends the 1.5B q8 on a GPU without shader-f16, not a 4 GB 7B build', () => {
    expect(planFor(production, plainGpu).recommended).toEqual({ id: small.id, reason: 'gpu-no-f16' });
  });

  it('recommends the smallest GPU build when the small model is not in the list', () => {
    const webllm = production.filter((m) => m.runtime === 'webllm');
    expect(planFor(webllm, plainGpu).recommended).toEqual({
      id: 'DeepSeek-R1-Distill-Qwen-7B-q4f32_1-MLC',
      reason: 'gpu-no-f16',
    });
  });

  it('says nothing fits when no model can load', () => {
    const gpuOnly = production.filter((m) => m.runtime === 'webllm');
    const plan = planFor(gpuOnly, noGpu);
    expect(plan.recommended).toBeUndefined();
    expect(plan.choices.every((choice) => choice.refusal !== undefined)).toBe(true);
  });
});
