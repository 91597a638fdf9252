/**
 * One HTTP request of the downloader: a Range request for a span of a file, its body cut into the
 * chunks the span covers, each streamed into its own OPFS file as it arrives and hashed on the way.
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
  open: (chunk: ChunkRange) => Promise<FileSystemWritableFileStream>;
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
  let response: Response;
  try {
    response = await fetch(span.url, {
      headers: { Range: `bytes=${first.start}-${last.end}` },
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
    if (!range || range.start !== first.start || range.end !== last.end || range.total !== span.size) {
      await response.body.cancel().catch(() => undefined);
      throw new SpanError('range', `Unexpected Content-Range ${response.headers.get('Content-Range')}`);
    }
    return { body: response.body, offset: first.start };
  }
  if (response.status === 200) return { body: response.body, offset: 0 };
  await response.body.cancel().catch(() => undefined);
  throw new SpanError('status', `HTTP ${response.status}`, response.status);
}

/** Fetches the span and stores its chunks; a failure leaves the chunks already committed in place. */
export async function fetchSpan(span: SpanRequest): Promise<void> {
  const { body, offset } = await request(span);
  const reader = body.getReader();
  let position = offset; // file offset of the next byte to arrive
  let current: { writable: FileSystemWritableFileStream; hash: IHasher } | undefined;
  let next = 0; // index into span.chunks
  try {
    while (next < span.chunks.length) {
      const { done, value } = await readWithin(reader, span.stallMs);
      if (done) throw new SpanError('network', `Response ended at byte ${position}`);
      let bytes = value;
      while (bytes.length > 0 && next < span.chunks.length) {
        const chunk = span.chunks[next];
        if (position < chunk.start) {
          // A 200 answer: skip what comes before the span.
          const skip = Math.min(chunk.start - position, bytes.length);
          bytes = bytes.subarray(skip);
          position += skip;
          continue;
        }
        if (!current) {
          current = { writable: await span.open(chunk), hash: (await createSHA256()).init() };
        }
        const take = Math.min(chunk.end + 1 - position, bytes.length);
        const part = bytes.subarray(0, take);
        await current.writable.write(part);
        current.hash.update(part);
        bytes = bytes.subarray(take);
        position += take;
        span.received(chunk, position - chunk.start);
        if (position > chunk.end) {
          await current.writable.close();
          const sha256 = current.hash.digest('hex');
          current = undefined;
          next++;
          await span.stored(chunk, sha256);
        }
      }
    }
  } finally {
    await current?.writable.abort().catch(() => undefined);
    await reader.cancel().catch(() => undefined);
  }
}
