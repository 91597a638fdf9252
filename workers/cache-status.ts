/**
 * Whether a model can load from the browser's cache alone: every file the chosen variant needs is
 * there. A Cache API entry only exists once its whole body was stored (`cache.put` commits at the
 * end of the stream), so presence means complete. The page asks this for every model when it opens;
 * WebLLM's library (6 MB) is loaded to answer only when some of that model's files are cached.
 */
import type { ModelRecord, RuntimeKind } from '../src/shared/catalog';
import { modelRepoUrl } from '../src/shared/config';
import { isModelDownloaded } from './download/model-files';

/** WebLLM keeps weights, tokenizer and their manifest (`tensor-cache.json`) here. */
export const WEBLLM_MODEL_CACHE = 'webllm/model';
export const WEBLLM_WASM_CACHE = 'webllm/wasm';
export const WEBLLM_CONFIG_CACHE = 'webllm/config';
/** transformers.js reads the files our downloader stored through its custom cache, keyed here. */
export const TRANSFORMERS_CACHE = 'transformers-cache';
/** The scripted test runtime's stand-in for downloaded files. */
export const SCRIPTED_CACHE = 'harbour-scripted';

async function cachedUrls(cacheName: string): Promise<Set<string>> {
  if (!(await caches.has(cacheName))) return new Set();
  const cache = await caches.open(cacheName);
  return new Set((await cache.keys()).map((request) => request.url));
}

async function webllmReady(model: ModelRecord): Promise<boolean> {
  // WebLLM caches tensor-cache.json before the shards: it says only that a download began, and
  // without it nothing is there, so WebLLM itself is loaded only when it is present.
  const weights = await cachedUrls(WEBLLM_MODEL_CACHE);
  if (!weights.has(`${modelRepoUrl(model.repo)}tensor-cache.json`)) return false;
  const { webllmFilesComplete } = await import('./runtimes/webllm');
  return webllmFilesComplete(model);
}

const checks: Record<RuntimeKind, (model: ModelRecord, dtype?: string) => Promise<boolean>> = {
  webllm: webllmReady,
  // Our downloader's manifests: every chunk stored and the file verified (workers/download/).
  transformers: isModelDownloaded,
  scripted: async (model) =>
    [...(await cachedUrls(SCRIPTED_CACHE))].some((url) => url.endsWith(`/${model.id}`)),
};

/** True when the model (the `dtype` variant, where it has several) can load with no download. */
export function hasDownloadedFiles(model: ModelRecord, dtype?: string): Promise<boolean> {
  return checks[model.runtime](model, dtype);
}
