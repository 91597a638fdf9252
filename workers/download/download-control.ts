/**
 * The downloader's test-only control channel: end-to-end tests (tests/e2e/download-control.ts)
 * store small chunks and short patience in a Cache API entry of the app's origin before a model
 * loads, as the scripted runtime's channel does (workers/runtimes/scripted-control.ts). The
 * transformers runtime imports this only in test builds, so production builds leave it out and the
 * engine contract carries no download settings.
 */
import type { DownloadTuning } from '../../src/shared/engine';

/** Where the tuning is stored: a cache of its own and a path on the app's origin. */
export const DOWNLOAD_CONTROL_CACHE = 'harbour-download-control';
export const DOWNLOAD_CONTROL_PATH = '/__download__/tuning';

/** The tuning the tests stored; none stored is the product's defaults. */
export async function readDownloadTuning(): Promise<DownloadTuning> {
  const url = new URL(DOWNLOAD_CONTROL_PATH, self.location.origin).href;
  const stored = await caches.match(url, { cacheName: DOWNLOAD_CONTROL_CACHE });
  const parsed: unknown = await stored?.json().catch(() => undefined);
  return typeof parsed === 'object' && parsed !== null ? (parsed as DownloadTuning) : {};
}
