/**
 * Whether a model's files are already downloaded, answered from the Cache API alone: the page asks
 * this for every model when it opens, and loading a runtime's library (6 MB for WebLLM) just to
 * answer would cost more than the answer is worth. The cache names are the runtimes' own.
 */
import type { ModelRecord, RuntimeKind } from '../src/shared/catalog';
import { modelRepoUrl } from '../src/shared/config';
import { isModelDownloaded } from './download/model-files';

/** WebLLM keeps weights and their manifest (`tensor-cache.json`) here. */
export const WEBLLM_MODEL_CACHE = 'webllm/model';
/** transformers.js keeps every file it downloads here. */
export const TRANSFORMERS_CACHE = 'transformers-cache';
/** The scripted test runtime's stand-in for downloaded files. */
export const SCRIPTED_CACHE = 'harbour-scripted';

async function cachedUrls(cacheName: string): Promise<string[]> {
  if (!(await caches.has(cacheName))) return [];
  const cache = await caches.open(cacheName);
  return (await cache.keys()).map((request) => request.url);
}

const checks: Record<RuntimeKind, (model: ModelRecord) => Promise<boolean>> = {
  webllm: async (model) =>
    (await cachedUrls(WEBLLM_MODEL_CACHE)).includes(`${modelRepoUrl(model.repo)}tensor-cache.json`),
  // Our downloader's manifests: every chunk stored and the file verified (workers/download/).
  transformers: isModelDownloaded,
  scripted: async (model) => (await cachedUrls(SCRIPTED_CACHE)).some((url) => url.endsWith(`/${model.id}`)),
};

export function hasDownloadedFiles(model: ModelRecord): Promise<boolean> {
  return checks[model.runtime](model);
}
