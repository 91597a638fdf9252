// Runs in a module worker, as the app's engine does: fetches one synthetic model into memory the way
// transformers.js does (a Uint8Array), creates an ONNX Runtime session on the asked backend with the
// app's own onnxruntime-web build, then times one decode step (one token through every projection).
import * as ort from '/ort/ort.webgpu.bundle.min.mjs';

ort.env.wasm.wasmPaths = {
  wasm: new URL('/ort/ort-wasm-simd-threaded.asyncify.wasm', self.location.href).href,
  mjs: new URL('/ort/ort-wasm-simd-threaded.asyncify.mjs', self.location.href).href,
};
ort.env.wasm.proxy = false;

self.onmessage = async ({ data: { file, backend, sessionOnly } }) => {
  const report = { phase: 'fetch' };
  try {
    const bytes = new Uint8Array(await (await fetch(`/models/${file}`)).arrayBuffer());
    report.phase = 'session';
    const started = performance.now();
    const session = await ort.InferenceSession.create(bytes, { executionProviders: [backend] });
    report.sessionMs = performance.now() - started;
    if (sessionOnly) {
      self.postMessage({ ok: true, ...report, phase: 'done' });
      return;
    }
    report.phase = 'run';
    const feeds = {
      input_ids: new ort.Tensor('int64', new BigInt64Array([1n]), [1, 1]),
      position_ids: new ort.Tensor('int64', new BigInt64Array([0n]), [1, 1]),
    };
    await session.run(feeds); // the first run compiles (WebGPU) and warms up
    const stepStarted = performance.now();
    await session.run(feeds);
    report.stepMs = performance.now() - stepStarted;
    report.phase = 'done';
    self.postMessage({ ok: true, ...report });
  } catch (error) {
    self.postMessage({ ok: false, ...report, error: String(error?.message ?? error).slice(0, 300) });
  }
};
