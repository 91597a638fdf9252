/**
 * The pure part of the downloader: how a file is cut into Range requests, what its manifest says is
 * done, and how the host's answers are read. No I/O here, so every rule is unit-tested in Node.
 */

/** One byte range of a file, both ends inclusive as in an HTTP Range header. */
export interface ChunkRange {
  index: number;
  start: number;
  end: number;
}

/** What is stored of one file: written to OPFS beside its chunks after every chunk completes. */
export interface FileManifest {
  version: 1;
  url: string;
  size: number;
  chunkBytes: number;
  /** The file's sha256 from the host's LFS pointer, when it gives one. */
  sha256?: string;
  /** Per chunk: the sha256 of the bytes stored for it, or null while it is missing. */
  chunks: (string | null)[];
  /**
   * Chunks cut off mid-way by a network failure or a pause: the bytes already committed at their
   * start, and the sha256 state after them (base64), so a resume asks only for the rest.
   */
  partial?: Record<number, PartialChunk>;
  /** Every chunk is stored and the whole file matched its size (and sha256, when known). */
  verified: boolean;
}

export interface PartialChunk {
  bytes: number;
  hashState: string;
}

/**
 * 8 MiB. A cut costs at most the chunk in flight, so smaller wastes less; each request pays one
 * round trip, so larger wastes less time. At 8 MiB the 1.37 GB weight file is 166 requests (a few seconds of
 * round trips over a download of minutes), a cut at 10 Mbit/s loses under 7 s, and several chunks
 * in flight hold no more than a few tens of MB of unwritten data in memory.
 */
export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

/** Cuts a file of `size` bytes into chunks of `chunkBytes` (the last one shorter). */
export function planChunks(size: number, chunkBytes: number): ChunkRange[] {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Bad file size ${size}`);
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0)
    throw new RangeError(`Bad chunk size ${chunkBytes}`);
  const chunks: ChunkRange[] = [];
  for (let start = 0, index = 0; start < size; start += chunkBytes, index++) {
    chunks.push({ index, start, end: Math.min(start + chunkBytes, size) - 1 });
  }
  return chunks;
}

/** A fresh manifest: nothing stored yet. */
export function newManifest(url: string, size: number, chunkBytes: number, sha256?: string): FileManifest {
  const count = planChunks(size, chunkBytes).length;
  return {
    version: 1,
    url,
    size,
    chunkBytes,
    sha256,
    chunks: new Array<null>(count).fill(null),
    verified: false,
  };
}

/**
 * Whether a stored manifest still describes the file the host now serves (same size, same hash when
 * both are known, same chunking); when not, what is stored must be thrown away.
 */
export function manifestMatches(
  manifest: FileManifest,
  remote: { size: number; sha256?: string },
  chunkBytes: number,
): boolean {
  return (
    manifest.version === 1 &&
    manifest.size === remote.size &&
    manifest.chunkBytes === chunkBytes &&
    manifest.chunks.length === planChunks(remote.size, chunkBytes).length &&
    (remote.sha256 === undefined || manifest.sha256 === undefined || manifest.sha256 === remote.sha256)
  );
}

/** The chunks still to fetch, in file order. */
export function missingChunks(manifest: FileManifest): ChunkRange[] {
  return planChunks(manifest.size, manifest.chunkBytes).filter(
    (chunk) => manifest.chunks[chunk.index] === null,
  );
}

/** Bytes of the file stored in complete chunks. */
export function storedBytes(manifest: FileManifest): number {
  return planChunks(manifest.size, manifest.chunkBytes).reduce(
    (sum, chunk) => sum + (manifest.chunks[chunk.index] === null ? 0 : chunk.end - chunk.start + 1),
    0,
  );
}

/** Every chunk is stored (it may still need verifying). */
export function allStored(manifest: FileManifest): boolean {
  return manifest.chunks.every((hash) => hash !== null);
}

/** Bytes kept of the file: complete chunks plus the committed start of cut-off ones. */
export function keptBytes(manifest: FileManifest): number {
  let partial = 0;
  for (const [index, kept] of Object.entries(manifest.partial ?? {})) {
    if (manifest.chunks[Number(index)] === null) partial += kept.bytes;
  }
  return storedBytes(manifest) + partial;
}

/** Returns the manifest with one chunk recorded as stored (or as missing again, with null). */
export function withChunk(manifest: FileManifest, index: number, sha256: string | null): FileManifest {
  if (index < 0 || index >= manifest.chunks.length) throw new RangeError(`No chunk ${index}`);
  const chunks = manifest.chunks.slice();
  chunks[index] = sha256;
  const partial = { ...manifest.partial };
  delete partial[index];
  return { ...manifest, chunks, partial, verified: false };
}

/** Returns the manifest with the committed start of a cut-off chunk recorded. */
export function withPartial(manifest: FileManifest, index: number, kept: PartialChunk): FileManifest {
  const chunk = planChunks(manifest.size, manifest.chunkBytes)[index];
  if (!chunk || manifest.chunks[index] !== null) throw new RangeError(`No missing chunk ${index}`);
  if (kept.bytes <= 0 || kept.bytes > chunk.end - chunk.start)
    throw new RangeError(`Bad partial ${kept.bytes}`);
  return { ...manifest, partial: { ...manifest.partial, [index]: kept }, verified: false };
}

/** Reads `Content-Range: bytes a-b/total`; undefined when absent or malformed. */
export function parseContentRange(
  header: string | null,
): { start: number; end: number; total: number } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return start <= end && end < total ? { start, end, total } : undefined;
}

/**
 * Reads a Git LFS pointer (what Hugging Face's `/raw/` URL returns for a large file):
 * `oid sha256:<64 hex>` and `size <n>`. Undefined when the text is not one.
 */
export function parseLfsPointer(text: string): { sha256: string; size: number } | undefined {
  if (!text.startsWith('version https://git-lfs.github.com/spec/')) return undefined;
  const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(text);
  const size = /^size (\d+)$/m.exec(text);
  return oid && size ? { sha256: oid[1], size: Number(size[1]) } : undefined;
}
