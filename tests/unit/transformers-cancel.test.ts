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

  it('a cancelled load that finishes after a new one started neither sets nor keeps its model', async () => {
    const runtime = createTransformersRuntime();
    const first = runtime.load(record, { dtype: 'q8' }, () => undefined);
    await until(() => fake.pending.length === 1);
    await runtime.unload(); // the user pressed Cancel
    const second = runtime.load(record, { dtype: 'q8' }, () => undefined);
    await until(() => fake.pending.length === 2);

    fake.pending[1].resolve(); // the new load finishes first…
    await second;
    fake.pending[0].resolve(); // …then the orphan's download completes
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });

    expect(fake.pending[0].model.dispose).toHaveBeenCalled();
    expect(fake.pending[1].model.dispose).not.toHaveBeenCalled();
  });

  it('an orphan that finishes before the new load does not become the loaded model', async () => {
    const runtime = createTransformersRuntime();
    const progress: string[] = [];
    const first = runtime.load(record, { dtype: 'q8' }, (report) => progress.push(`first ${report.phase}`));
    await until(() => fake.pending.length === 1);
    await runtime.unload();
    const second = runtime.load(record, { dtype: 'q4f16' }, () => undefined);
    await until(() => fake.pending.length === 2);

    fake.pending[0].resolve();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.pending[0].model.dispose).toHaveBeenCalled();
    fake.pending[1].resolve();
    await second;
    // Only the second model ran its warm-up, and the orphan reported nothing after the cancel.
    expect(fake.pending[0].model.generate).not.toHaveBeenCalled();
    expect(fake.pending[1].model.generate).toHaveBeenCalled();
    expect(progress.filter((line) => line !== 'first downloading')).toEqual([]);
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
    fake.pending[0].resolve();
    await expect(load).rejects.toMatchObject({ name: 'AbortError' });
  });
});
