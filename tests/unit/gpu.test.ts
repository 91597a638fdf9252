import { describe, expect, it } from 'vitest';
import { catalog, findModel } from '../../src/shared/catalog';
import { checkGpu, modelBlocker, runsOnCpu, type GpuReport } from '../../src/lib/gpu';

const ready: GpuReport = {
  status: 'ready',
  shaderF16: true,
  adapterName: 'test',
  maxBufferSize: 2 ** 31,
  maxStorageBufferBindingSize: 2 ** 30,
};
const noF16: GpuReport = { ...ready, shaderF16: false };
const none: GpuReport = { ...ready, status: 'no-webgpu', shaderF16: false };

function model(id: string) {
  const record = findModel(id);
  if (!record) throw new Error(`missing ${id}`);
  return record;
}

describe('catalog', () => {
  it('lists the 1.5B transformers.js distill first, then the WebLLM 7B/8B distills', () => {
    expect(catalog[0].runtime).toBe('transformers');
    const webllm = catalog.filter((m) => m.runtime === 'webllm' && !m.testOnly).map((m) => m.id);
    expect(webllm).toEqual([
      'DeepSeek-R1-Distill-Qwen-7B-q4f16_1-MLC',
      'DeepSeek-R1-Distill-Qwen-7B-q4f32_1-MLC',
      'DeepSeek-R1-Distill-Llama-8B-q4f16_1-MLC',
      'DeepSeek-R1-Distill-Llama-8B-q4f32_1-MLC',
    ]);
  });

  it('marks exactly the f16 records as needing shader-f16', () => {
    for (const record of catalog.filter((m) => m.runtime === 'webllm' && !m.testOnly)) {
      expect(record.requiredFeatures.includes('shader-f16')).toBe(record.id.includes('q4f16'));
    }
  });

  it('does not offer test models in a production build', () => {
    expect(catalog.some((m) => m.testOnly)).toBe(false);
  });
});

describe('modelBlocker', () => {
  it('lets everything run on a GPU with shader-f16', () => {
    for (const record of catalog) expect(modelBlocker(record, ready)).toBeUndefined();
  });

  it('blocks f16 models without shader-f16 but not f32 ones', () => {
    expect(modelBlocker(model('DeepSeek-R1-Distill-Qwen-7B-q4f16_1-MLC'), noF16)).toBe('needs-shader-f16');
    expect(modelBlocker(model('DeepSeek-R1-Distill-Qwen-7B-q4f32_1-MLC'), noF16)).toBeUndefined();
  });

  it('blocks WebGPU-only models without WebGPU, and runs the 1.5B on the CPU instead', () => {
    expect(modelBlocker(model('DeepSeek-R1-Distill-Llama-8B-q4f32_1-MLC'), none)).toBe('needs-webgpu');
    const small = catalog[0];
    expect(modelBlocker(small, none)).toBeUndefined();
    expect(runsOnCpu(small, none)).toBe(true);
    expect(runsOnCpu(small, ready)).toBe(false);
  });
});

describe('checkGpu', () => {
  const secure = () => Object.assign(globalThis, { isSecureContext: true });

  it('reports a missing navigator.gpu', async () => {
    secure();
    expect((await checkGpu({} as Navigator)).status).toBe('no-webgpu');
  });

  it('reports a missing adapter', async () => {
    secure();
    const nav = { gpu: { requestAdapter: async () => null } } as unknown as Navigator;
    expect((await checkGpu(nav)).status).toBe('no-adapter');
  });

  it('reads shader-f16 and limits from the adapter', async () => {
    secure();
    const adapter = {
      features: new Set(['shader-f16']),
      limits: { maxBufferSize: 1024, maxStorageBufferBindingSize: 512 },
      info: { vendor: 'acme', architecture: 'x', description: '' },
    };
    const nav = { gpu: { requestAdapter: async () => adapter } } as unknown as Navigator;
    expect(await checkGpu(nav)).toEqual({
      status: 'ready',
      shaderF16: true,
      adapterName: 'acme · x',
      maxBufferSize: 1024,
      maxStorageBufferBindingSize: 512,
    });
  });
});
