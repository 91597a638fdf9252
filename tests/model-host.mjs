// A stand-in for the model host (Hugging Face's layout) for end-to-end tests and benchmarks:
// serves tests/fixtures/models/<org>/<name>/<file> at /<org>/<name>/resolve/main/<file>, with CORS,
// as a separate origin from the app. Usage: node tests/model-host.mjs [port]
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  response.setHeader('Access-Control-Expose-Headers', 'Content-Length, ETag');
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
  response.writeHead(200, {
    'Content-Type': types[extname(file)] ?? 'application/octet-stream',
    'Content-Length': size,
  });
  if (request.method === 'HEAD') return void response.end();
  createReadStream(file).pipe(response);
}).listen(port, '127.0.0.1', () => console.log(`model host on http://127.0.0.1:${port}`));
