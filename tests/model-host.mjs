// A stand-in for the model host (Hugging Face's layout) for end-to-end tests and benchmarks:
// serves tests/fixtures/models/<org>/<name>/<file> at /<org>/<name>/resolve/main/<file>, with CORS,
// as a separate origin from the app. Usage: node tests/model-host.mjs [port]
// It generates the tiny test models first when they are missing (see fixtures/ensure-tiny-models.mjs).
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTinyModels } from './fixtures/ensure-tiny-models.mjs';

ensureTinyModels();

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), 'fixtures/models');
const port = Number(process.argv[2] ?? process.env.MODEL_HOST_PORT ?? 4174);
const types = {
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
};

createServer((request, response) => {
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Access-Control-Allow-Headers', '*');
  response.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, ETag');
  if (request.method === 'OPTIONS') return void response.writeHead(204).end();
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
  if (path === '/health') return void response.writeHead(200).end('ok');
  const local = normalize(path.replace(/\/resolve\/main\//, '/'));
  const file = join(root, local);
  let size;
  try {
    const stat = statSync(file);
    if (!file.startsWith(root) || !stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch {
    return void response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
  }
  const type = types[extname(file)] ?? 'application/octet-stream';
  // transformers.js probes each file with `Range: bytes=0-0`; answer it as the real host does.
  const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
  if (range) {
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : size - 1, size - 1);
    response.writeHead(206, {
      'Content-Type': type,
      'Content-Length': end - start + 1,
      'Content-Range': `bytes ${start}-${end}/${size}`,
    });
    if (request.method === 'HEAD') return void response.end();
    return void createReadStream(file, { start, end }).pipe(response);
  }
  response.writeHead(200, { 'Content-Type': type, 'Content-Length': size, 'Accept-Ranges': 'bytes' });
  if (request.method === 'HEAD') return void response.end();
  createReadStream(file).pipe(response);
}).listen(port, '127.0.0.1', () => console.log(`model host on http://127.0.0.1:${port}`));
