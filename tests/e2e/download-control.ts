/**
 * The tests' side of the downloader's control channel (workers/download/download-control.ts): the
 * tuning is stored in the origin's Cache API on every navigation, before any model loads.
 */
import type { Page } from '@playwright/test';
import type { DownloadTuning } from '../../src/shared/engine';
import { DOWNLOAD_CONTROL_CACHE, DOWNLOAD_CONTROL_PATH } from '../../workers/download/download-control';

/** Makes the model downloader in `page` use `tuning` (the product's defaults where unset). */
export async function tuneDownloads(page: Page, tuning: DownloadTuning): Promise<void> {
  await page.addInitScript(
    ([cacheName, path, stored]) => {
      if (location.origin === 'null') return; // about:blank and other opaque pages have no caches
      void caches
        .open(cacheName)
        .then((cache) => cache.put(new URL(path, location.origin).href, new Response(stored)));
    },
    [DOWNLOAD_CONTROL_CACHE, DOWNLOAD_CONTROL_PATH, JSON.stringify(tuning)] as const,
  );
}
