import { describe, expect, it } from 'vitest';
import {
  allStored,
  keptBytes,
  manifestMatches,
  missingChunks,
  newManifest,
  parseContentRange,
  parseLfsPointer,
  planChunks,
  storedBytes,
  withChunk,
  withPartial,
} from '../../workers/download/plan';
import { fileOfUrl } from '../../workers/download/model-files';

const HASH = 'a'.repeat(64);

describe('planChunks', () => {
  it('covers every byte once, in order, with a shorter last chunk', () => {
    const chunks = planChunks(25, 10);
    expect(chunks).toEqual([
      { index: 0, start: 0, end: 9 },
      { index: 1, start: 10, end: 19 },
      { index: 2, start: 20, end: 24 },
    ]);
  });

  it('makes exact multiples without an empty tail, and nothing for an empty file', () => {
    expect(planChunks(20, 10).map((chunk) => chunk.end)).toEqual([9, 19]);
    expect(planChunks(0, 10)).toEqual([]);
    expect(planChunks(1, 10)).toEqual([{ index: 0, start: 0, end: 0 }]);
  });

  it('cuts the real 1.37 GB weight file into 8 MiB chunks', () => {
    const chunks = planChunks(1_387_230_088, 8 * 1024 * 1024);
    expect(chunks).toHaveLength(166);
    expect(chunks.at(-1)?.end).toBe(1_387_230_087);
  });

  it('refuses nonsense sizes', () => {
    expect(() => planChunks(-1, 10)).toThrow(RangeError);
    expect(() => planChunks(10, 0)).toThrow(RangeError);
    expect(() => planChunks(1.5, 10)).toThrow(RangeError);
  });
});

describe('the manifest', () => {
  it('starts with every chunk missing and counts only complete chunks as stored', () => {
    let manifest = newManifest('https://host/x', 25, 10, HASH);
    expect(missingChunks(manifest).map((chunk) => chunk.index)).toEqual([0, 1, 2]);
    expect(storedBytes(manifest)).toBe(0);
    manifest = withChunk(manifest, 2, 'c2');
    manifest = withChunk(manifest, 0, 'c0');
    expect(missingChunks(manifest).map((chunk) => chunk.index)).toEqual([1]);
    expect(storedBytes(manifest)).toBe(15);
    expect(allStored(manifest)).toBe(false);
    manifest = withChunk(manifest, 1, 'c1');
    expect(allStored(manifest)).toBe(true);
    expect(storedBytes(manifest)).toBe(25);
  });

  it('never stays verified once a chunk changes, and does not mutate the old manifest', () => {
    const verified = { ...withChunk(newManifest('u', 10, 10), 0, 'c0'), verified: true };
    const replaced = withChunk(verified, 0, null);
    expect(replaced.verified).toBe(false);
    expect(verified.chunks[0]).toBe('c0');
    expect(() => withChunk(verified, 1, 'x')).toThrow(RangeError);
  });

  it('keeps the committed start of a cut-off chunk until the chunk is complete', () => {
    let manifest = withChunk(newManifest('u', 25, 10), 0, 'c0');
    manifest = withPartial(manifest, 1, { bytes: 4, hashState: 'AAAA' });
    expect(storedBytes(manifest)).toBe(10);
    expect(keptBytes(manifest)).toBe(14);
    expect(missingChunks(manifest).map((chunk) => chunk.index)).toEqual([1, 2]);
    manifest = withChunk(manifest, 1, 'c1');
    expect(manifest.partial?.[1]).toBeUndefined();
    expect(keptBytes(manifest)).toBe(20);
    expect(() => withPartial(manifest, 1, { bytes: 4, hashState: '' })).toThrow(RangeError);
    expect(() => withPartial(manifest, 2, { bytes: 5, hashState: '' })).toThrow(RangeError);
    expect(() => withPartial(manifest, 2, { bytes: 0, hashState: '' })).toThrow(RangeError);
  });

  it('is kept only while it still describes the file the host serves', () => {
    const manifest = newManifest('u', 25, 10, HASH);
    expect(manifestMatches(manifest, { size: 25, sha256: HASH }, 10)).toBe(true);
    expect(manifestMatches(manifest, { size: 25 }, 10)).toBe(true);
    expect(manifestMatches(manifest, { size: 26, sha256: HASH }, 10)).toBe(false);
    expect(manifestMatches(manifest, { size: 25, sha256: 'b'.repeat(64) }, 10)).toBe(false);
    expect(manifestMatches(manifest, { size: 25, sha256: HASH }, 5)).toBe(false);
  });
});

describe('reading the host', () => {
  it('reads Content-Range and rejects malformed or impossible ones', () => {
    expect(parseContentRange('bytes 0-0/165970')).toEqual({ start: 0, end: 0, total: 165970 });
    expect(parseContentRange('bytes 10-19/20')).toEqual({ start: 10, end: 19, total: 20 });
    expect(parseContentRange('bytes 10-20/20')).toBeUndefined();
    expect(parseContentRange('bytes */20')).toBeUndefined();
    expect(parseContentRange(null)).toBeUndefined();
  });

  it('reads a Git LFS pointer (Hugging Face /raw/) and nothing else', () => {
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${HASH}\nsize 1387230088\n`;
    expect(parseLfsPointer(pointer)).toEqual({ sha256: HASH, size: 1_387_230_088 });
    expect(parseLfsPointer('{"architectures": []}')).toBeUndefined();
    expect(parseLfsPointer(pointer.replace(HASH, 'abc'))).toBeUndefined();
  });

  it('maps model-host URLs to repo and file, and ignores others', () => {
    expect(
      fileOfUrl(
        'https://huggingface.co/onnx-community/M-ONNX/resolve/main/onnx/model_q4f16.onnx',
        (repo) => `https://huggingface.co/${repo}/resolve/main/`,
      ),
    ).toEqual({
      repo: 'onnx-community/M-ONNX',
      file: 'onnx/model_q4f16.onnx',
      url: 'https://huggingface.co/onnx-community/M-ONNX/resolve/main/onnx/model_q4f16.onnx',
    });
    expect(fileOfUrl('/models/onnx-community/M-ONNX/onnx/model_q4f16.onnx')).toBeUndefined();
    expect(
      fileOfUrl(
        'https://elsewhere.example/a/b/resolve/main/x.onnx',
        (repo) => `https://huggingface.co/${repo}/resolve/main/`,
      ),
    ).toBeUndefined();
  });
});
