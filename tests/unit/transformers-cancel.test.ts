/**
 * The transformers.js runtime's load/cancel path, with transformers.js replaced at its module
 * boundary by a fake whose downloads finish only when the test says so. What is checked is ours:
 * a cancelled load that finishes late (transformers.js 4.3.1 has no AbortSignal of its own) must
 * never set or keep a model, and its fetches get an aborted signal.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

interface Pending {
  resolve: () => void;
  model: { dispose: ReturnType<typeof vi.fn>; generate: ReturnType<typeof vi.fn>; tag: string };
}

const fake = vi.hoisted(() => ({
  pending: [] as Pending[],
  env: { backends: { onnx: { wasm: {} as Record<string, unknown> } }, fetch: undefined as unknown },
}));

vi.mock('@huggingface/transformers', () => {
  const tokenizer = Object.assign(() => ({ input_ids: { dims: [1, 1] } }), {});
  return {
    env: fake.env,
    AutoTokenizer: { from_pretrained: async () => tokenizer },
    AutoModelForCausalLM: {
      from_pretrained: (repo: string, options: { dtype: string }) =>
        new Promise((resolve) => {
          const model = {
            tag: `${repo}:${options.dtype}:${fake.pending.length}`,
            dispose: vi.fn(async () => undefined),
            generate: vi.fn(async () => undefined),
          };
          fake.pending.push({ resolve: () => resolve(model), model });
        }),
    },
    InterruptableStoppingCriteria: class {},
    TextStreamer: class {},
    LogitsProcessor: class {},
    LogitsProcessorList: class {},
    DynamicCache: class {},
    Tensor: class {},
  };
});
// Our downloader (OPFS, tested on its own) has nothing to fetch here: the files are "stored".
vi.mock('../../workers/download/downloader', () => ({
  downloadFiles: async () => undefined,
  storedResponse: async () => undefined,
}));
vi.mock('onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url', () => ({ default: '/ort.wasm' }));
vi.mock('onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url', () => ({ default: '/ort.mjs' }));

const { createTransformersRuntime } = await import('../../workers/runtimes/transformers');
const record = { id: 'm', repo: 'org/m' } as Parameters<
  ReturnType<typeof createTransformersRuntime>['load']
>[0];

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((done) => setTimeout(done, 1));
  expect(check()).toBe(true);
}

describe('transformers runtime: cancel and reload', () => {
  beforeEach(() => {
    fake.pending.length = 0;
    vi.stubGlobal('self', { location: { href: 'http://app.test/' } });
  });

  it('a cancelled load that finishes late neither sets nor keeps its model, and the new load waits for it', async () => {
    const runtime = createTransformersRuntime();
    const progress: string[] = [];
    const first = runtime.load(record, { dtype: 'q8' }, (report) => progress.push(`first ${report.phase}`));
    await until(() => fake.pending.length === 1);
    await runtime.unload(); // the user pressed Cancel…
    const second = runtime.load(record, { dtype: 'q4f16' }, () => undefined); // …and Load at once
    // No second download runs beside the orphan's: transformers.js's fetch hook cannot tell them apart.
    await new Promise((done) => setTimeout(done, 20));
    expect(fake.pending).toHaveLength(1);

    fake.pending[0].resolve(); // the orphan's download completes after all
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.pending[0].model.dispose).toHaveBeenCalled();
    expect(fake.pending[0].model.generate).not.toHaveBeenCalled();
    expect(progress.filter((line) => line !== 'first downloading')).toEqual([]);

    await until(() => fake.pending.length === 2);
    fake.pending[1].resolve();
    await second;
    expect(fake.pending[1].model.tag).toContain('q4f16');
    expect(fake.pending[1].model.generate).toHaveBeenCalled();
    expect(fake.pending[1].model.dispose).not.toHaveBeenCalled();
  });

  it('a load replaced by another (no Cancel in between) is discarded the same way', async () => {
    const runtime = createTransformersRuntime();
    const first = runtime.load(record, { dtype: 'q8' }, () => undefined);
    await until(() => fake.pending.length === 1);
    const second = runtime.load(record, { dtype: 'q8' }, () => undefined);
    fake.pending[0].resolve();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    await until(() => fake.pending.length === 2);
    fake.pending[1].resolve();
    await second;
    expect(fake.pending[0].model.dispose).toHaveBeenCalled();
    expect(fake.pending[1].model.dispose).not.toHaveBeenCalled();
  });

  it('gives every fetch of a load its signal, aborted by Cancel', async () => {
    const seen: (AbortSignal | undefined)[] = [];
    vi.stubGlobal('fetch', async (_input: unknown, init?: RequestInit) => {
      seen.push(init?.signal ?? undefined);
      return new Response('');
    });
    const runtime = createTransformersRuntime();
    const load = runtime.load(record, { dtype: 'q8' }, () => undefined);
    await until(() => fake.pending.length === 1);
    const wrappedFetch = fake.env.fetch as typeof fetch;
    await wrappedFetch('http://host/org/m/resolve/main/onnx/model_quantized.onnx');
    expect(seen[0]?.aborted).toBe(false);
    await runtime.unload();
    expect(seen[0]?.aborted).toBe(true);
    // A fetch the cancelled load starts afterwards is refused too.
    await wrappedFetch('http://host/org/m/resolve/main/onnx/model_quantized.onnx');
    expect(seen[1]?.aborted).toBe(true);
    fake.pending[0].resolve();
    await expect(load).rejects.toMatchObject({ name: 'AbortError' });
  });
});
