/**
 * Where downloads live: the Origin Private File System, one folder per model repository, one per
 * file, holding `manifest.json` and the chunks `c0`, `c1`, … A chunk is written through a writable
 * stream, which the browser commits only on close(): a cut, a crash or a closed tab leaves either the
 * whole chunk or nothing, and the manifest (written after the chunk) is the only record of what is
 * done. Every function takes the root folder last, so tests can use another.
 */
import type { FileManifest } from './plan';

const ROOT = 'harbour-downloads';
const MANIFEST = 'manifest.json';

/** The folder holding every download. */
export async function downloadsRoot(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(ROOT, { create: true });
}

/** A folder name for a repo or file path ("org/name" → "org--name"). */
function folderName(path: string): string {
  return path.replaceAll('/', '--');
}

async function childDir(
  parent: FileSystemDirectoryHandle,
  name: string,
  create: boolean,
): Promise<FileSystemDirectoryHandle | undefined> {
  try {
    return await parent.getDirectoryHandle(name, { create });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'NotFoundError') return undefined;
    throw cause;
  }
}

async function fileDir(
  repo: string,
  file: string,
  create: boolean,
  root: FileSystemDirectoryHandle,
): Promise<FileSystemDirectoryHandle | undefined> {
  const repoDir = await childDir(root, folderName(repo), create);
  return repoDir && childDir(repoDir, folderName(file), create);
}

/** The stored manifest of `repo`'s `file`, if any. */
export async function readManifest(
  repo: string,
  file: string,
  root: FileSystemDirectoryHandle,
): Promise<FileManifest | undefined> {
  const dir = await fileDir(repo, file, false, root);
  if (!dir) return undefined;
  try {
    const text = await (await (await dir.getFileHandle(MANIFEST)).getFile()).text();
    return JSON.parse(text) as FileManifest;
  } catch {
    return undefined; // absent, or torn by a crash: start the file again
  }
}

async function writeFile(dir: FileSystemDirectoryHandle, name: string, data: string | Blob): Promise<void> {
  const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
  try {
    await writable.write(data);
    await writable.close();
  } catch (cause) {
    await writable.abort().catch(() => undefined);
    throw cause;
  }
}

export async function writeManifest(
  repo: string,
  file: string,
  manifest: FileManifest,
  root: FileSystemDirectoryHandle,
): Promise<void> {
  const dir = await fileDir(repo, file, true, root);
  if (dir) await writeFile(dir, MANIFEST, JSON.stringify(manifest));
}

/**
 * Opens chunk `index` for writing (with `keep`, over what it holds). Nothing written is visible
 * until `close()`; `abort()` discards it.
 */
export async function openChunk(
  repo: string,
  file: string,
  index: number,
  keep: boolean,
  root: FileSystemDirectoryHandle,
): Promise<FileSystemWritableFileStream> {
  const dir = await fileDir(repo, file, true, root);
  if (!dir) throw new DOMException('Download folder missing', 'NotFoundError');
  return (await dir.getFileHandle(`c${index}`, { create: true })).createWritable({ keepExistingData: keep });
}

/** The stored chunks of a file, in order, as File objects (backed by disk, not memory). */
export async function chunkFiles(
  repo: string,
  file: string,
  count: number,
  root: FileSystemDirectoryHandle,
): Promise<File[]> {
  const dir = await fileDir(repo, file, false, root);
  if (!dir) throw new DOMException(`No download of ${file}`, 'NotFoundError');
  return Promise.all(
    Array.from({ length: count }, async (_, index) => (await dir.getFileHandle(`c${index}`)).getFile()),
  );
}

/** Removes everything stored for a model repository (chunks and manifests). */
export async function deleteRepo(repo: string, root: FileSystemDirectoryHandle): Promise<void> {
  try {
    await root.removeEntry(folderName(repo), { recursive: true });
  } catch (cause) {
    if (!(cause instanceof DOMException && cause.name === 'NotFoundError')) throw cause;
  }
}

/** Removes one file's download (a changed file on the host, or a failed verification). */
export async function deleteFile(repo: string, file: string, root: FileSystemDirectoryHandle): Promise<void> {
  const repoDir = await childDir(root, folderName(repo), false);
  await repoDir?.removeEntry(folderName(file), { recursive: true }).catch(() => undefined);
}

/** Bytes on disk for a model repository: every chunk and manifest, measured, not taken from the catalog. */
export async function repoBytes(repo: string, root: FileSystemDirectoryHandle): Promise<number> {
  const repoDir = await childDir(root, folderName(repo), false);
  if (!repoDir) return 0;
  let total = 0;
  for await (const entry of repoDir.values()) {
    if (entry.kind !== 'directory') continue;
    for await (const part of (entry as FileSystemDirectoryHandle).values()) {
      if (part.kind === 'file') total += (await (part as FileSystemFileHandle).getFile()).size;
    }
  }
  return total;
}
