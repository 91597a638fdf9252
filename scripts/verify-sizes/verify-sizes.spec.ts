/**
 * The size-faithful load check. For every ONNX variant of the 1.5B model the device policy offers
 * (and the ones it refuses, to show why), this creates an ONNX Runtime session from a synthetic file
 * with the real file's size and layout, in a module worker in Chromium, with the app's own
 * onnxruntime-web build, on each backend: wasm, and WebGPU on SwiftShader. It prints one table.
 */
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, test } from '@playwright/test';
import { baseArgs, browserPath, webgpuArgs } from '../../tests/chromium';
import { verifyCases, type VerifyCase } from './cases';
import { MemorySampler } from './memory';

const root = resolve(import.meta.dirname, '../..');
const modelDir = process.env.VERIFY_MODELS_DIR ?? join(root, '.verify-models');
const ortDir = join(root, 'node_modules/onnxruntime-web/dist');

interface Outcome {
  ok: boolean;
  phase: string;
  error?: string;
  sessionMs?: number;
  stepMs?: number;
}

const rows: string[] = [];
let server: Server;
let origin = '';

const types: Record<string, string> = {
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
};

function serve(): Promise<void> {
  server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = path.startsWith('/ort/')
      ? join(ortDir, path.slice(5))
      : path.startsWith('/models/')
        ? join(modelDir, path.slice(8))
        : path === '/session.worker.js'
          ? join(import.meta.dirname, 'session.worker.js')
          : undefined;
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>verify</title>');
      return;
    }
    if (!file || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    const type = types[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
    response.writeHead(200, { 'content-type': type, 'content-length': statSync(file).size });
    createReadStream(file).pipe(response);
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      origin = `http://localhost:${(server.address() as AddressInfo).port}`;
      done();
    }),
  );
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;
const seconds = (ms: number | undefined) => (ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`);

async function runCase(item: VerifyCase): Promise<Outcome> {
  const browser = await chromium.launch({
    executablePath: browserPath(),
    args: item.backend === 'webgpu' ? [...baseArgs, ...webgpuArgs] : baseArgs,
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    return await page.evaluate(
      ({ file, backend, sessionOnly }) =>
        new Promise<Outcome>((done) => {
          const worker = new Worker('/session.worker.js', { type: 'module' });
          worker.onmessage = (event: MessageEvent<Outcome>) => done(event.data);
          worker.onerror = (event) => done({ ok: false, phase: 'worker', error: event.message });
          worker.postMessage({ file, backend, sessionOnly });
        }),
      { file: item.file, backend: item.backend, sessionOnly: item.sessionOnly },
    );
  } finally {
    await browser.close();
  }
}

test.beforeAll(serve);
test.afterAll(() => {
  server?.close();
  const table = [
    '',
    '| entry | file | bytes | backend | offered on | result | session | one decode step | peak RSS (largest process / all) |',
    '| --- | --- | ---: | --- | --- | --- | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n');
  console.log(table);
  const out = join(root, 'test-results/verify-sizes');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'table.md'), table);
});

for (const item of verifyCases()) {
  test(`${item.entry} on ${item.backend}`, async () => {
    const path = join(modelDir, item.file);
    test.skip(!existsSync(path), `${path} missing: run make_models.py first`);
    const bytes = statSync(path).size;
    const memory = new MemorySampler();
    memory.start();
    const outcome = await runCase(item);
    const peak = memory.stop();
    const result = outcome.ok
      ? item.sessionOnly
        ? 'session created (running it needs shader-f16, which SwiftShader lacks)'
        : 'loads and runs'
      : `fails at ${outcome.phase}: ${(outcome.error ?? '').replace(/\s+/g, ' ').replace(/\|/g, '/')}`;
    rows.push(
      `| ${item.entry} | ${item.file} | ${bytes.toLocaleString('en')} | ${item.backend} | ${item.offeredOn} | ${result} | ${seconds(outcome.sessionMs)} | ${seconds(outcome.stepMs)} | ${gb(peak.peakProcess)} / ${gb(peak.peakSum)} |`,
    );
    console.log(rows.at(-1));
  });
}
