/**
 * One HTTP request of the downloader: a Range request for a span of a file, its body cut into the
 * chunks the span covers, each streamed into its own OPFS file as it arrives and hashed on the way.
 * When the request fails mid-chunk (a cut, a stall, a pause), the bytes of that chunk received so far
 * are committed and reported with the hash state, so the next request starts where this one ended;
 * only a crash or a closed tab loses them (the write was never closed).
 * A host that ignores Range answers 200 with the whole file; the bytes before the span are then
 * read and dropped, so the download stays correct (if slower) on such a host.
 */
import { createSHA256, type IHasher } from 'hash-wasm';
import { parseContentRange, type ChunkRange } from './plan';

/** Why a request failed, in the terms the downloader acts on. */
export class SpanError extends Error {
  constructor(
    readonly kind: 'network' | 'stall' | 'status' | 'range',
    detail: string,
    readonly status?: number,
  ) {
    super(detail);
    this.name = 'SpanError';
  }
}

export interface SpanRequest {
  url: string;
  size: number;
  /** Contiguous chunks in file order; the request asks for their bytes. */
  chunks: ChunkRange[];
  signal: AbortSignal;
  /** No byte for this long ends the request (a stalled connection is retried). */
  stallMs: number;
  /** The first chunk's committed start, when it was cut off before (the request skips those bytes). */
  resume?: { bytes: number; hashState: Uint8Array };
  /** Opens a chunk for writing; with `keep`, over its committed start. */
  open: (chunk: ChunkRange, keep: boolean) => Promise<FileSystemWritableFileStream>;
  /** Called when a cut-off chunk's start has been committed, with the hash state after it. */
  kept: (chunk: ChunkRange, bytes: number, hashState: Uint8Array) => Promise<void>;
  /** Called once a chunk is committed to disk, with the sha256 of its bytes. */
  stored: (chunk: ChunkRange, sha256: string) => Promise<void>;
  /** Called as bytes arrive: how many of `chunk` are written so far (not yet committed). */
  received: (chunk: ChunkRange, bytes: number) => void;
}

/** Reads from `reader`, failing with a stall when nothing arrives for `stallMs`. */
async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array<ArrayBuffer>>,
  stallMs: number,
): Promise<ReadableStreamReadResult<Uint8Array<ArrayBuffer>>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SpanError('stall', `No data for ${stallMs} ms`)), stallMs);
  });
  try {
    return await Promise.race([reader.read(), stalled]);
  } finally {
    clearTimeout(timer);
  }
}

async function request(
  span: SpanRequest,
): Promise<{ body: ReadableStream<Uint8Array<ArrayBuffer>>; offset: number }> {
  const first = span.chunks[0];
  const last = span.chunks[span.chunks.length - 1];
  const from = first.start + (span.resume?.bytes ?? 0);
  let response: Response;
  try {
    response = await fetch(span.url, {
      headers: { Range: `bytes=${from}-${last.end}` },
      signal: span.signal,
      cache: 'no-store',
    });
  } catch (cause) {
    if (span.signal.aborted) throw cause;
    throw new SpanError('network', cause instanceof Error ? cause.message : 'fetch failed');
  }
  if (!response.body) throw new SpanError('network', 'Empty response');
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get('Content-Range'));
    if (!range || range.start !== from || range.end !== last.end || range.total !== span.size) {
      await response.body.cancel().catch(() => undefined);
      throw new SpanError('range', `Unexpected Content-Range ${response.headers.get('Content-Range')}`);
    }
    return { body: response.body, offset: from };
  }
  if (response.status === 200) return { body: response.body, offset: 0 };
  await response.body.cancel().catch(() => undefined);
  throw new SpanError('status', `HTTP ${response.status}`, response.status);
}

interface OpenChunk {
  chunk: ChunkRange;
  writable: FileSystemWritableFileStream;
  hash: IHasher;
  /** Bytes of the chunk on disk or in the writable, from its start. */
  bytes: number;
  /** Bytes it held when opened (a resumed chunk's committed start). */
  base: number;
}

/** Fetches the span and stores its chunks; a failure leaves the chunks already committed in place. */
export async function fetchSpan(span: SpanRequest): Promise<void> {
  const { body, offset } = await request(span);
  const reader = body.getReader();
  let position = offset; // file offset of the next byte to arrive
  let current: OpenChunk | undefined;
  let next = 0; // index into span.chunks
  try {
    while (next < span.chunks.length) {
      const { done, value } = await readWithin(reader, span.stallMs);
      if (done) throw new SpanError('network', `Response ended at byte ${position}`);
      let bytes = value;
      while (bytes.length > 0 && next < span.chunks.length) {
        const chunk = span.chunks[next];
        const resumed = next === 0 ? span.resume : undefined;
        const from = chunk.start + (resumed?.bytes ?? 0);
        if (position < from) {
          // A 200 answer: skip what comes before the bytes still missing.
          const skip = Math.min(from - position, bytes.length);
          bytes = bytes.subarray(skip);
          position += skip;
          continue;
        }
        current ??= await openChunk(span, chunk, resumed);
        const take = Math.min(chunk.end + 1 - position, bytes.length);
        const part = bytes.subarray(0, take);
        await current.writable.write(part);
        current.hash.update(part);
        current.bytes += take;
        bytes = bytes.subarray(take);
        position += take;
        span.received(chunk, current.bytes - current.base);
        if (position > chunk.end) {
          const finished = current;
          current = undefined;
          await finished.writable.close();
          next++;
          await span.stored(chunk, finished.hash.digest('hex'));
        }
      }
    }
  } catch (cause) {
    if (current) await keepStart(span, current, cause);
    current = undefined;
    throw cause;
  } finally {
    await current?.writable.abort().catch(() => undefined);
    await reader.cancel().catch(() => undefined);
  }
}

async function openChunk(
  span: SpanRequest,
  chunk: ChunkRange,
  resumed: SpanRequest['resume'],
): Promise<OpenChunk> {
  const writable = await span.open(chunk, resumed !== undefined);
  if (resumed) {
    await writable.seek(resumed.bytes);
    return {
      chunk,
      writable,
      hash: (await createSHA256()).load(resumed.hashState),
      bytes: resumed.bytes,
      base: resumed.bytes,
    };
  }
  return { chunk, writable, hash: (await createSHA256()).init(), bytes: 0, base: 0 };
}

/** Commits the start of a chunk cut off mid-way (not when the disk is full: nothing more fits). */
async function keepStart(span: SpanRequest, open: OpenChunk, cause: unknown): Promise<void> {
  const full = cause instanceof DOMException && cause.name === 'QuotaExceededError';
  if (full || open.bytes === open.base) {
    await open.writable.abort().catch(() => undefined);
    return;
  }
  try {
    const hashState = open.hash.save();
    await open.writable.close();
    await span.kept(open.chunk, open.bytes, hashState);
  } catch {
    await open.writable.abort().catch(() => undefined);
  }
}
