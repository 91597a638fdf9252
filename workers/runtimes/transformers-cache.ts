/**
 * The cache transformers.js reads through (`env.customCache`; 4.3.1 calls only `match(key)` and
 * `put(key, response)`, with the absolute `<host>/<repo>/resolve/main/<file>` URL as key after
 * first trying `/models/<repo>/<file>` — src/utils/hub.js, src/utils/cache.js). Files our downloader
 * has stored and verified are answered from their OPFS chunks, so transformers.js never downloads
 * them and no second copy is made; anything else falls back to its usual Cache Storage store.
 */
import { storedResponse } from '../download/downloader';
import { fileOfUrl } from '../download/model-files';
import { TRANSFORMERS_CACHE } from '../cache-status';

export interface CustomCache {
  match(key: string): Promise<Response | undefined>;
  put(key: string, response: Response): Promise<void>;
}

export const downloadedFilesCache: CustomCache = {
  async match(key) {
    const file = fileOfUrl(key);
    const stored = file && (await storedResponse(file.repo, file.file));
    if (stored) return stored;
    return (await (await caches.open(TRANSFORMERS_CACHE)).match(key)) ?? undefined;
  },
  async put(key, response) {
    await (await caches.open(TRANSFORMERS_CACHE)).put(key, response);
  },
};
