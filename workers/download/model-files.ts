/**
 * Which files make a transformers.js model, where our downloader keeps them, and whether they are
 * all there. Kept free of the downloader and of transformers.js so that the page's "is it
 * downloaded?" question (asked for every model on open) loads neither.
 */
import type { ModelRecord, ModelVariant } from '../../src/shared/catalog';
import { modelRepoUrl } from '../../src/shared/config';
import { allStored, keptBytes } from './plan';
import { deleteRepo, downloadsRoot, readManifest, repoBytes } from './store';

/** The weight variants of a model: the one for `dtype`, or all of them when it is not given. */
function variantsOf(model: ModelRecord, dtype?: string): ModelVariant[] {
  return (model.variants ?? []).filter((variant) => !dtype || variant.dtype === dtype);
}

/** The files besides the weights that `AutoTokenizer`/`AutoModelForCausalLM` read. */
export const SMALL_FILES = [
  'config.json',
  'generation_config.json',
  'tokenizer_config.json',
  'tokenizer.json',
];

export interface ModelFile {
  repo: string;
  file: string;
  url: string;
}

/**
 * Every file of the model for one dtype (the catalog's variant names its weight file, which is the
 * one transformers.js 4.3.1 asks for), small files first: they make loading possible sooner.
 */
export function modelFiles(model: ModelRecord, dtype: ModelVariant['dtype']): ModelFile[] {
  const weights = variantsOf(model, dtype).map((variant) => variant.modelFile);
  return [...SMALL_FILES, ...weights].map((file) => ({
    repo: model.repo,
    file,
    url: `${modelRepoUrl(model.repo)}${file}`,
  }));
}

async function complete(repo: string, file: string, root: FileSystemDirectoryHandle): Promise<boolean> {
  const manifest = await readManifest(repo, file, root);
  return manifest !== undefined && manifest.verified && allStored(manifest);
}

/**
 * Downloaded means loadable: every small file and the weight file of the `dtype` variant (any
 * variant when not given), each complete and verified.
 */
export async function isModelDownloaded(model: ModelRecord, dtype?: string): Promise<boolean> {
  const root = await downloadsRoot();
  const small = await Promise.all(SMALL_FILES.map((file) => complete(model.repo, file, root)));
  if (small.includes(false)) return false;
  const weights = await Promise.all(
    variantsOf(model, dtype).map((variant) => complete(model.repo, variant.modelFile, root)),
  );
  return weights.includes(true);
}

/** Bytes this model takes on disk, measured from its stored chunks and manifests. */
export async function modelBytes(model: ModelRecord): Promise<number> {
  return repoBytes(model.repo, await downloadsRoot());
}

/** Removes every chunk and manifest of the model, complete or partial. */
export async function deleteModelDownload(model: ModelRecord): Promise<void> {
  await deleteRepo(model.repo, await downloadsRoot());
}

/** The repo and file a model-host URL names, when it is one (`<host>/<org>/<name>/resolve/main/<file>`). */
export function fileOfUrl(
  url: string,
  hostRepoUrl: (repo: string) => string = modelRepoUrl,
): ModelFile | undefined {
  const match = /^(.*?)\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(url);
  if (!match) return undefined;
  const repo = match[2];
  const file = decodeURIComponent(match[3]);
  return url === `${hostRepoUrl(repo)}${match[3]}` ? { repo, file, url } : undefined;
}

/**
 * What is stored of a model that is not completely downloaded, for "820 MB of 1.37 GB downloaded —
 * Resume" after a reload: read from the manifests, with no network. Undefined when nothing is.
 */
export async function partialDownload(
  model: ModelRecord,
): Promise<{ storedBytes: number; totalBytes: number } | undefined> {
  if (await isModelDownloaded(model)) return undefined;
  const root = await downloadsRoot();
  let stored = 0;
  let total = 0;
  for (const file of [...SMALL_FILES, ...variantsOf(model).map((variant) => variant.modelFile)]) {
    const manifest = await readManifest(model.repo, file, root);
    if (!manifest) continue;
    stored += keptBytes(manifest);
    total += manifest.size;
  }
  return stored > 0 ? { storedBytes: stored, totalBytes: total } : undefined;
}
