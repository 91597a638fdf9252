/**
 * Whether a model can load from the browser's storage alone: every file the chosen variant needs is
 * there. A Cache API entry only exists once its whole body was stored (`cache.put` commits at the
 * end of the stream), so presence means complete. It reads only the Cache API and OPFS, which the
 * page reads as well as the worker: the page asks here directly when it opens (no engine worker is
 * started for it), and the scripted runtime asks here before its stand-in download.
 */
import type { ModelRecord, RuntimeKind } from '../src/shared/catalog';
import { modelRepoUrl, webllmLibUrl } from '../src/shared/config';
import { isModelDownloaded, modelBytes, partialDownload } from './download/model-files';

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

/** The shards a WebLLM tensor-cache.json lists (its `records[].dataPath`), as URLs. */
async function webllmShards(manifest: Response, base: string): Promise<string[]> {
  const parsed: unknown = await manifest.json().catch(() => undefined);
  const records = typeof parsed === 'object' && parsed !== null && 'records' in parsed ? parsed.records : [];
  if (!Array.isArray(records)) return [];
  return records.map((record: { dataPath?: unknown }) => new URL(String(record.dataPath), base).href);
}

/**
 * WebLLM's own check (hasModelInCache → tvmjs hasTensorInCache in @mlc-ai/web-llm/lib/index.js):
 * tensor-cache.json, cached before the shards, and every shard it lists; then the chat config and
 * the model library. Read here rather than through WebLLM so that the page need not load its 6 MB.
 */
async function webllmReady(model: ModelRecord): Promise<boolean> {
  const base = modelRepoUrl(model.repo);
  const weights = await cachedUrls(WEBLLM_MODEL_CACHE);
  const manifestUrl = `${base}tensor-cache.json`;
  if (!weights.has(manifestUrl)) return false;
  const manifest = await (await caches.open(WEBLLM_MODEL_CACHE)).match(manifestUrl);
  const shards = manifest ? await webllmShards(manifest, base) : [];
  if (shards.length === 0 || !shards.every((url) => weights.has(url))) return false;
  if (!(await cachedUrls(WEBLLM_CONFIG_CACHE)).has(`${base}mlc-chat-config.json`)) return false;
  // WebLLM does not cache a library served from localhost (its reload(): it refetches those).
  const library = webllmLibUrl(model);
  return library.includes('localhost') || (await cachedUrls(WEBLLM_WASM_CACHE)).has(library);
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

/** What is stored of a model our downloader fetches but has not finished (no network). */
export async function unfinishedDownload(
  model: ModelRecord,
): Promise<{ storedBytes: number; totalBytes: number } | undefined> {
  return model.runtime === 'transformers' ? partialDownload(model) : undefined;
}

/** Bytes a model's files take on disk, measured; undefined where only the catalog knows. */
export async function storedModelBytes(model: ModelRecord): Promise<number | undefined> {
  return model.runtime === 'transformers' ? modelBytes(model) : undefined;
}
