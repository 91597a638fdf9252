// A stand-in for the model host (Hugging Face's layout) for end-to-end tests and benchmarks:
// serves tests/fixtures/models/<org>/<name>/<file> at /<org>/<name>/resolve/main/<file>, with CORS,
// as a separate origin from the app. Usage: node tests/model-host.mjs [port]
// It generates the tiny test models first when they are missing (see fixtures/ensure-tiny-models.mjs).
//
// Like Hugging Face, it answers Range requests (206 + Content-Range), sends the file's sha256 as ETag,
// and serves a large file's Git LFS pointer (`oid sha256:…`, `size …`) at /<org>/<name>/raw/main/<file>.
// /harbour-bench/synthetic/resolve/main/<n>.bin is an n-byte generated file (benchmarks).
//
// Tests steer it through a control endpoint (POST /__control with JSON, GET /__stats, POST /__reset):
//   { match, throttle }      bytes per second, per connection
//   { match, cutAfter }      end the connection after this many body bytes of one response
//   { match, outage }        after this many body bytes in all (for matching paths), every response
//                            is cut and every new request fails, until the rule is removed
//   { match, stall }         send the headers, then nothing
//   { match, corruptAt }     flip the byte at this file offset in the response
//   { match, noRange }       ignore Range (200 with the whole file)
//   { match, status }        answer with this HTTP status
// `match` is a substring of the path; `times` (default: unlimited) limits how often a rule fires.
// /__stats counts body bytes served per path and lists requests.
import { createHash } from 'node:crypto';
import { createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
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
const SYNTHETIC = /^\/harbour-bench\/synthetic\/(?:resolve|raw)\/main\/(\d+)\.bin$/;
const PATTERN = Buffer.alloc(1 << 20, 0).map((_, i) => (i * 31 + (i >> 9)) & 255);

let rules = [];
let served = {};
let requests = [];
const hashes = new Map();

function sha256Of(file) {
  if (!hashes.has(file)) hashes.set(file, createHash('sha256').update(readFileSync(file)).digest('hex'));
  return hashes.get(file);
}

function readJson(request) {
  return new Promise((done, fail) => {
    let text = '';
    request.on('data', (part) => (text += part));
    request.on('end', () => {
      try {
        done(text ? JSON.parse(text) : {});
      } catch (error) {
        fail(error);
      }
    });
  });
}

/** The rule of `kind` that applies to `path`, counting one use. */
function take(path, kind) {
  const rule = rules.find(
    (candidate) => candidate[kind] !== undefined && path.includes(candidate.match ?? ''),
  );
  if (!rule) return undefined;
  if (rule.times !== undefined) {
    if (rule.times <= 0) return undefined;
    rule.times -= 1;
  }
  return rule;
}

function outageFor(path) {
  return rules.find(
    (rule) =>
      rule.outage !== undefined && path.includes(rule.match ?? '') && (rule.spent ?? 0) >= rule.outage,
  );
}

/** Where the file's bytes come from: a fixture on disk, or the generated benchmark file. */
function source(path) {
  const synthetic = SYNTHETIC.exec(path);
  if (synthetic) {
    const size = Number(synthetic[1]);
    return {
      size,
      type: 'application/octet-stream',
      etag: `synthetic-${size}`,
      read: (start, end) => {
        const out = Buffer.allocUnsafe(end - start + 1);
        for (let at = 0; at < out.length;) {
          const offset = (start + at) % PATTERN.length;
          const n = Math.min(PATTERN.length - offset, out.length - at);
          PATTERN.copy(out, at, offset, offset + n);
          at += n;
        }
        return out;
      },
    };
  }
  const local = normalize(path.replace(/\/(resolve|raw)\/main\//, '/'));
  const file = join(root, local);
  try {
    const stat = statSync(file);
    if (!file.startsWith(root) || !stat.isFile()) return undefined;
    return {
      size: stat.size,
      type: types[extname(file)] ?? 'application/octet-stream',
      etag: sha256Of(file),
      file,
    };
  } catch {
    return undefined;
  }
}

/** Streams bytes [start, end] of `src`, applying the matching rules. */
function sendBody(request, response, path, src, start, end) {
  const throttle = take(path, 'throttle')?.throttle;
  const cut = take(path, 'cutAfter')?.cutAfter;
  const stall = take(path, 'stall');
  const corrupt = rules.find(
    (rule) =>
      rule.corruptAt !== undefined &&
      path.includes(rule.match ?? '') &&
      rule.corruptAt >= start &&
      rule.corruptAt <= end &&
      (rule.times === undefined || rule.times > 0),
  );
  if (corrupt && corrupt.times !== undefined) corrupt.times -= 1;
  const outage = rules.find((rule) => rule.outage !== undefined && path.includes(rule.match ?? ''));
  if (stall) return; // headers only; the client gives up
  let position = start;
  let sent = 0;
  let closed = false;
  response.on('close', () => (closed = true));
  const slice = throttle ? Math.max(1024, Math.floor(throttle / 20)) : 256 * 1024;
  const pump = () => {
    while (!closed && position <= end) {
      let n = Math.min(slice, end - position + 1);
      if (cut !== undefined) n = Math.min(n, cut - sent);
      if (outage) n = Math.min(n, Math.max(outage.outage - (outage.spent ?? 0), 0));
      if (n <= 0) {
        // After what was written has reached the socket, so the client gets exactly `sent` bytes.
        response.write('', () => response.destroy());
        return;
      }
      const bytes = src.read ? src.read(position, position + n - 1) : readSlice(src.file, position, n);
      if (corrupt && corrupt.corruptAt >= position && corrupt.corruptAt < position + n) {
        bytes[corrupt.corruptAt - position] ^= 0xff;
      }
      served[path] = (served[path] ?? 0) + n;
      if (outage) outage.spent = (outage.spent ?? 0) + n;
      position += n;
      sent += n;
      const more = response.write(bytes);
      if (throttle) return void setTimeout(pump, (n / throttle) * 1000);
      if (!more) return void response.once('drain', pump);
    }
    if (!closed) response.end();
  };
  pump();
}

function readSlice(file, position, length) {
  // Synchronous reads keep the byte accounting exact; the fixtures and chunks here are small.
  const buffer = Buffer.allocUnsafe(length);
  const fd = openFile(file);
  let done = 0;
  while (done < length) done += readSync(fd, buffer, done, length - done, position + done);
  return buffer;
}

const fds = new Map();
function openFile(file) {
  if (!fds.has(file)) fds.set(file, openSync(file, 'r'));
  return fds.get(file);
}

async function control(request, response, path) {
  if (path === '/__stats') {
    return void response
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ served, requests }));
  }
  if (path === '/__reset') {
    rules = [];
    served = {};
    requests = [];
    return void response.writeHead(204).end();
  }
  const body = await readJson(request);
  rules = Array.isArray(body.rules) ? body.rules : [];
  return void response.writeHead(204).end();
}

createServer((request, response) => {
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Access-Control-Allow-Headers', '*');
  response.setHeader('Access-Control-Expose-Headers', 'Accept-Ranges, Content-Length, Content-Range, ETag');
  if (request.method === 'OPTIONS') return void response.writeHead(204).end();
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
  if (path === '/health') return void response.writeHead(200).end('ok');
  if (path === '/framing-page.html') {
    // Another origin's page that frames the app (tests/e2e/hostile-data.spec.ts).
    const src = (new URL(request.url ?? '/', 'http://x').searchParams.get('src') ?? '').replace(
      /[^\w:/.-]/g,
      '',
    );
    const page = `<!doctype html><title>Another site</title><iframe src="${src}" width="600" height="400"></iframe>`;
    return void response.writeHead(200, { 'Content-Type': 'text/html' }).end(page);
  }
  if (path.startsWith('/__'))
    return void control(request, response, path).catch(() => response.writeHead(400).end());
  requests.push({ path, range: request.headers.range ?? null });
  if (outageFor(path)) return void request.socket.destroy();
  const src = source(path);
  if (!src) return void response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
  const forced = take(path, 'status');
  if (forced) return void response.writeHead(forced.status, { 'Content-Type': 'text/plain' }).end('forced');
  if (path.includes('/raw/main/')) {
    // Hugging Face's /raw/ answers a large file with its Git LFS pointer; small files are served as is.
    if (!path.endsWith('.onnx') && !SYNTHETIC.test(path))
      return void createReadStream(src.file).pipe(response);
    const sha = src.read
      ? createHash('sha256')
          .update(src.read(0, src.size - 1))
          .digest('hex')
      : src.etag;
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${sha}\nsize ${src.size}\n`;
    return void response.writeHead(200, { 'Content-Type': 'text/plain' }).end(pointer);
  }
  const headers = { 'Content-Type': src.type, 'Accept-Ranges': 'bytes', ETag: `"${src.etag}"` };
  const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
  if (range && !take(path, 'noRange')) {
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : src.size - 1, src.size - 1);
    if (start >= src.size)
      return void response.writeHead(416, { 'Content-Range': `bytes */${src.size}` }).end();
    response.writeHead(206, {
      ...headers,
      'Content-Length': end - start + 1,
      'Content-Range': `bytes ${start}-${end}/${src.size}`,
    });
    if (request.method === 'HEAD') return void response.end();
    return void sendBody(request, response, path, src, start, end);
  }
  response.writeHead(200, { ...headers, 'Content-Length': src.size });
  if (request.method === 'HEAD' || src.size === 0) return void response.end();
  sendBody(request, response, path, src, 0, src.size - 1);
}).listen(port, '127.0.0.1', () => console.log(`model host on http://127.0.0.1:${port}`));
