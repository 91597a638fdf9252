/**
 * Our own downloader for a model's files: Range requests chunk by chunk, several in flight, each
 * chunk committed to OPFS as it completes with a manifest beside it, so a cut, a reload or a crash
 * costs at most the chunks in flight. Finished files are checked for size and, when the host
 * publishes one (the LFS pointer's sha256 at `/raw/`), hashed in this worker without holding the
 * file in memory; a mismatch refetches chunks until the bad one is found, and the file is never
 * handed to a runtime until it passes.
 */
import { createSHA256 } from 'hash-wasm';
import { EngineError, type DownloadTuning } from '../../src/shared/engine';
import { fetchSpan, SpanError } from './fetch-span';
import {
  DEFAULT_CHUNK_BYTES,
  allStored,
  keptBytes,
  manifestMatches,
  missingChunks,
  newManifest,
  parseContentRange,
  parseLfsPointer,
  planChunks,
  withChunk,
  withPartial,
  type ChunkRange,
  type FileManifest,
} from './plan';
import { chunkFiles, deleteFile, downloadsRoot, openChunk, readManifest, writeManifest } from './store';

/**
 * 6 in flight. On a link throttled per connection (bench/suites/download.bench.ts: 200 MiB at
 * 4 MiB/s per connection, on a loaded 2-core machine) one stream made 3.1 MB/s, 2 made 4.5, 4 made
 * 5.6, 6 made 7.8 and 8 made 8.4: 6 takes most of the gain, and a browser opens at most 6
 * connections to one HTTP/1.1 host anyway (more only queue). A crash loses at most the chunks in
 * flight; a network cut or a pause loses nothing (their starts are kept).
 */
export const DEFAULT_PARALLEL = 6;
const DEFAULT_STALL_MS = 30_000;
const DEFAULT_ATTEMPTS = 4;

/** One file of a model: where it is on the host, and where it is kept. */
export interface FileTarget {
  repo: string;
  file: string;
  url: string;
}

export interface DownloadReport {
  /** Bytes stored (complete chunks) plus bytes of chunks still arriving. */
  loadedBytes: number;
  totalBytes: number;
  /** Stored in complete chunks only: what a resume would keep. */
  storedBytes: number;
}

export interface DownloadOptions extends DownloadTuning {
  signal: AbortSignal;
  onProgress: (report: DownloadReport) => void;
}

interface Tracked {
  target: FileTarget;
  manifest: FileManifest;
  /** Serializes manifest writes (chunks complete in any order). */
  writes: Promise<void>;
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

function hostOf(url: string): string {
  return new URL(url).host;
}

/** The file's size from a one-byte Range request (uncompressed, unlike a HEAD's Content-Length). */
async function probeSize(url: string, signal: AbortSignal): Promise<number> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Range: 'bytes=0-0' }, signal, cache: 'no-store' });
  } catch (cause) {
    if (signal.aborted) throw cause;
    throw new EngineError('NetworkError', `Cannot reach ${hostOf(url)}: received 0 bytes`);
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.status === 404) throw new EngineError('ModelNotFoundError', `404 for ${url}`);
  const total =
    response.status === 206
      ? parseContentRange(response.headers.get('Content-Range'))?.total
      : response.ok
        ? Number(response.headers.get('Content-Length') ?? NaN)
        : undefined;
  if (total === undefined || !Number.isSafeInteger(total)) {
    throw new EngineError('NetworkError', `HTTP ${response.status} from ${hostOf(url)}: no file size`);
  }
  return total;
}

/** The start of a body as text; the rest is not downloaded (`/raw/` of a small file is the file). */
async function firstBytes(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const parts: Uint8Array[] = [];
  let length = 0;
  while (length < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    length += value.length;
  }
  await reader.cancel().catch(() => undefined);
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return new TextDecoder().decode(bytes.subarray(0, limit));
}

/**
 * The sha256 the host publishes for a large file: Hugging Face's `/raw/` URL returns the Git LFS
 * pointer (`oid sha256:…`, `size …`). Not the CDN's ETag: for Xet-backed files that is another
 * 64-hex hash. Undefined when the host has no pointer (a small file, a plain mirror).
 */
async function publishedSha256(url: string, size: number, signal: AbortSignal): Promise<string | undefined> {
  if (!url.includes('/resolve/')) return undefined;
  try {
    const response = await fetch(url.replace('/resolve/', '/raw/'), { signal, cache: 'no-store' });
    if (!response.ok) return undefined;
    const pointer = parseLfsPointer(await firstBytes(response, 1024));
    return pointer?.size === size ? pointer.sha256 : undefined;
  } catch (cause) {
    if (signal.aborted) throw cause;
    return undefined;
  }
}

/** Hashes a stored file chunk by chunk, reading from disk. */
async function hashStored(
  target: FileTarget,
  manifest: FileManifest,
  root: FileSystemDirectoryHandle,
): Promise<{ sha256: string; size: number }> {
  const files = await chunkFiles(target.repo, target.file, manifest.chunks.length, root);
  const hasher = (await createSHA256()).init();
  let size = 0;
  for (const file of files) {
    const reader = file.stream().getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      hasher.update(read.value);
      size += read.value.length;
    }
  }
  return { sha256: hasher.digest('hex'), size };
}

/** The manifest of a file whose chunks are all stored and verified, if it is one. */
export async function verifiedManifest(
  repo: string,
  file: string,
  root?: FileSystemDirectoryHandle,
): Promise<FileManifest | undefined> {
  const manifest = await readManifest(repo, file, root ?? (await downloadsRoot()));
  return manifest?.verified && allStored(manifest) ? manifest : undefined;
}

/** A Response reading a verified file straight from its stored chunks (no second copy). */
export async function storedResponse(repo: string, file: string): Promise<Response | undefined> {
  const root = await downloadsRoot();
  const manifest = await verifiedManifest(repo, file, root);
  if (!manifest) return undefined;
  const parts = await chunkFiles(repo, file, manifest.chunks.length, root);
  return new Response(new Blob(parts), {
    headers: { 'Content-Length': String(manifest.size), 'Content-Type': 'application/octet-stream' },
  });
}

class Download {
  #files: Tracked[] = [];
  #partial = new Map<string, number>();
  #controller = new AbortController();
  #root!: FileSystemDirectoryHandle;
  readonly #chunkBytes: number;
  readonly #parallel: number;
  readonly #stallMs: number;
  readonly #attempts: number;

  constructor(private readonly options: DownloadOptions) {
    this.#chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.#parallel = Math.max(1, options.parallel ?? DEFAULT_PARALLEL);
    this.#stallMs = options.stallMs ?? DEFAULT_STALL_MS;
    this.#attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS);
    options.signal.addEventListener('abort', () => this.#controller.abort(options.signal.reason), {
      once: true,
    });
  }

  get #signal(): AbortSignal {
    return this.#controller.signal;
  }

  async run(targets: FileTarget[]): Promise<void> {
    this.#root = await downloadsRoot();
    // A file the host cannot be asked about does not stop the others: what can arrive is kept.
    const prepared = await Promise.allSettled(targets.map((target) => this.#prepare(target)));
    this.#files = prepared.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    this.#report();
    try {
      await this.#fetchMissing();
      for (const tracked of this.#files) await this.#verify(tracked);
      const unprepared = prepared.find((result) => result.status === 'rejected');
      if (unprepared) throw unprepared.reason;
    } catch (cause) {
      this.#controller.abort();
      throw this.#explain(cause);
    } finally {
      await Promise.all(this.#files.map((tracked) => tracked.writes));
    }
  }

  /** Reads the stored manifest; asks the host only when the file is not complete and verified. */
  async #prepare(target: FileTarget): Promise<Tracked> {
    const stored = await readManifest(target.repo, target.file, this.#root);
    if (stored?.verified && allStored(stored)) return { target, manifest: stored, writes: Promise.resolve() };
    const size = await probeSize(target.url, this.#signal);
    const sha256 = await publishedSha256(target.url, size, this.#signal);
    let manifest = stored;
    if (!manifest || !manifestMatches(manifest, { size, sha256 }, this.#chunkBytes)) {
      await deleteFile(target.repo, target.file, this.#root);
      manifest = newManifest(target.url, size, this.#chunkBytes, sha256);
      await writeManifest(target.repo, target.file, manifest, this.#root);
    } else if (sha256 && !manifest.sha256) {
      manifest = { ...manifest, sha256 };
    }
    return { target, manifest, writes: Promise.resolve() };
  }

  #report(): void {
    const total = this.#files.reduce((sum, tracked) => sum + tracked.manifest.size, 0);
    const stored = this.#files.reduce((sum, tracked) => sum + keptBytes(tracked.manifest), 0);
    let partial = 0;
    for (const bytes of this.#partial.values()) partial += bytes;
    this.options.onProgress({ loadedBytes: stored + partial, totalBytes: total, storedBytes: stored });
  }

  /** The requests to make: one per missing chunk, or one per gap when streaming. */
  #spans(): { tracked: Tracked; chunks: ChunkRange[] }[] {
    const spans: { tracked: Tracked; chunks: ChunkRange[] }[] = [];
    for (const tracked of this.#files) {
      for (const chunk of missingChunks(tracked.manifest)) {
        const last = spans.at(-1);
        const joins =
          this.#parallel === 1 &&
          last?.tracked === tracked &&
          last.chunks.at(-1)?.index === chunk.index - 1 &&
          !tracked.manifest.partial?.[chunk.index];
        if (joins && last) last.chunks.push(chunk);
        else spans.push({ tracked, chunks: [chunk] });
      }
    }
    return spans;
  }

  async #fetchMissing(): Promise<void> {
    const queue = this.#spans();
    const worker = async () => {
      for (let span = queue.shift(); span; span = queue.shift()) {
        await this.#fetchWithRetries(span.tracked, span.chunks);
      }
    };
    const workers = Array.from({ length: Math.min(this.#parallel, queue.length) }, worker);
    // The first failure stops the others (their chunks in flight are discarded, stored ones kept).
    await Promise.all(
      workers.map((running) =>
        running.catch((cause) => {
          this.#controller.abort();
          throw cause;
        }),
      ),
    );
  }

  async #fetchWithRetries(tracked: Tracked, chunks: ChunkRange[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const remaining = chunks.filter((chunk) => tracked.manifest.chunks[chunk.index] === null);
      if (remaining.length === 0) return;
      try {
        await this.#fetch(tracked, remaining);
        return;
      } catch (cause) {
        for (const chunk of remaining) this.#partial.delete(`${tracked.target.file}#${chunk.index}`);
        this.#report();
        const retryable =
          cause instanceof SpanError && (cause.kind !== 'status' || (cause.status ?? 0) >= 500);
        if (!retryable || attempt >= this.#attempts || this.#signal.aborted) throw cause;
        await this.#sleep(Math.min(500 * 2 ** (attempt - 1), 8000));
      }
    }
  }

  #fetch(tracked: Tracked, chunks: ChunkRange[]): Promise<void> {
    const { repo, file } = tracked.target;
    const partial = tracked.manifest.partial?.[chunks[0].index];
    return fetchSpan({
      url: tracked.target.url,
      size: tracked.manifest.size,
      chunks,
      signal: this.#signal,
      stallMs: this.#stallMs,
      resume: partial && { bytes: partial.bytes, hashState: fromBase64(partial.hashState) },
      open: (chunk, keep) => openChunk(repo, file, chunk.index, keep, this.#root),
      kept: async (chunk, bytes, hashState) => {
        this.#partial.delete(`${file}#${chunk.index}`);
        tracked.manifest = withPartial(tracked.manifest, chunk.index, {
          bytes,
          hashState: toBase64(hashState),
        });
        await this.#save(tracked);
        this.#report();
      },
      received: (chunk, bytes) => {
        this.#partial.set(`${file}#${chunk.index}`, bytes);
        this.#report();
      },
      stored: async (chunk, sha256) => {
        this.#partial.delete(`${file}#${chunk.index}`);
        await this.#record(tracked, chunk.index, sha256);
        this.#report();
      },
    });
  }

  /** Writes the manifest as it is now; writes are chained so that none is lost or reordered. */
  #save(tracked: Tracked): Promise<void> {
    const snapshot = tracked.manifest;
    tracked.writes = tracked.writes.then(() =>
      writeManifest(tracked.target.repo, tracked.target.file, snapshot, this.#root),
    );
    return tracked.writes;
  }

  /** Records a stored chunk (or, with null, a chunk to fetch again) in the manifest. */
  #record(tracked: Tracked, index: number, sha256: string | null): Promise<void> {
    tracked.manifest = withChunk(tracked.manifest, index, sha256);
    return this.#save(tracked);
  }

  async #writeVerified(tracked: Tracked): Promise<void> {
    tracked.manifest = { ...tracked.manifest, verified: true };
    await this.#save(tracked);
  }

  /** Checks size and hash; on a hash mismatch refetches chunk by chunk until the file matches. */
  async #verify(tracked: Tracked): Promise<void> {
    if (tracked.manifest.verified) return;
    const actual = await hashStored(tracked.target, tracked.manifest, this.#root);
    const expected = tracked.manifest.sha256;
    if (actual.size === tracked.manifest.size && (!expected || actual.sha256 === expected)) {
      await this.#writeVerified(tracked);
      return;
    }
    if (actual.size !== tracked.manifest.size || !expected) {
      await this.#discard(tracked);
      throw new EngineError(
        'NetworkError',
        `${tracked.target.file}: stored ${actual.size} of ${tracked.manifest.size} bytes`,
      );
    }
    console.warn('[download] sha256 mismatch; refetching chunks of', tracked.target.file);
    for (const chunk of planChunks(tracked.manifest.size, tracked.manifest.chunkBytes)) {
      const before = tracked.manifest.chunks[chunk.index];
      await this.#record(tracked, chunk.index, null);
      await this.#fetchWithRetries(tracked, [chunk]);
      if (tracked.manifest.chunks[chunk.index] === before) continue; // same bytes as before: not this one
      const again = await hashStored(tracked.target, tracked.manifest, this.#root);
      if (again.sha256 === expected) {
        await this.#writeVerified(tracked);
        return;
      }
    }
    await this.#discard(tracked);
    throw new EngineError('NetworkError', `${tracked.target.file} does not match its published sha256`);
  }

  async #discard(tracked: Tracked): Promise<void> {
    await tracked.writes;
    await deleteFile(tracked.target.repo, tracked.target.file, this.#root);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      this.#signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(new DOMException('Download paused', 'AbortError'));
        },
        { once: true },
      );
    });
  }

  /** Names a failure for the page: quota, pause, or a network failure with what was received. */
  #explain(cause: unknown): unknown {
    if (this.options.signal.aborted) return new DOMException('Download paused', 'AbortError');
    if (cause instanceof EngineError) return cause;
    const stored = this.#files.reduce((sum, tracked) => sum + keptBytes(tracked.manifest), 0);
    const total = this.#files.reduce((sum, tracked) => sum + tracked.manifest.size, 0);
    if (cause instanceof DOMException && cause.name === 'QuotaExceededError') {
      return new EngineError(
        'QuotaExceededError',
        `Disk full after ${stored} of ${total} bytes; ${total - stored} more needed`,
      );
    }
    if (cause instanceof SpanError) {
      const host = this.#files[0] ? hostOf(this.#files[0].target.url) : 'the model host';
      if (cause.status === 404) return new EngineError('ModelNotFoundError', `404 from ${host}`);
      return new EngineError(
        'NetworkError',
        `Interrupted: ${stored} of ${total} bytes from ${host} (${cause.message})`,
      );
    }
    return cause;
  }
}

/** Downloads (or resumes) every file; resolves when all are stored and verified. */
export function downloadFiles(targets: FileTarget[], options: DownloadOptions): Promise<void> {
  return new Download(options).run(targets);
}
