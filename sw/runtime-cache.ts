/**
 * Keeps each runtime's code once it has been used. Nothing downloads without the user: the service
 * worker precaches the app shell only, and a runtime's files enter their own cache the first time a
 * model of that runtime loads them, so they are there offline afterwards. A new version fetches,
 * while it installs, the new files of the runtimes already in that cache (an update must not take
 * offline use away) and drops the old ones when it takes over. File names carry a content hash, so
 * a cached file never goes stale. Runs before Workbox's own handlers.
 */

declare const self: ServiceWorkerGlobalScope;
/** This build's files of each runtime, by runtime (written in at build time: build/service-worker.ts). */
declare const RUNTIME_FILES: Record<string, string[]>;
/** Which output file names belong to which runtime, of any version (regular expression sources). */
declare const RUNTIME_PATTERNS: Record<string, string>;
/** The message the page sends after a model of a runtime has loaded (src/lib/pwa/runtimes.ts). */
declare const KEEP_RUNTIME_MESSAGE: string;

const RUNTIME_CACHE = 'harbour-runtimes';
const runtimeUrl = (file: string) => new URL(file, self.registration.scope).href;
const allRuntimeUrls = new Set(Object.values(RUNTIME_FILES).flat().map(runtimeUrl));

/** Which runtime a cached file (of this version or an older one) belongs to. */
function kindOf(url: string): string | undefined {
  const file = url.slice(self.registration.scope.length);
  return Object.keys(RUNTIME_PATTERNS).find((kind) => new RegExp(RUNTIME_PATTERNS[kind]).test(file));
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(RUNTIME_CACHE);
      const used = new Set((await cache.keys()).map((request) => kindOf(request.url)));
      for (const [kind, files] of Object.entries(RUNTIME_FILES)) {
        if (used.has(kind)) await cache.addAll(files.map(runtimeUrl)).catch(() => undefined);
      }
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(RUNTIME_CACHE);
      for (const request of await cache.keys()) {
        if (!allRuntimeUrls.has(request.url)) await cache.delete(request);
      }
    })(),
  );
});

self.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (typeof data !== 'object' || data === null || !('type' in data) || !('runtime' in data)) return;
  const files =
    data.type === KEEP_RUNTIME_MESSAGE && typeof data.runtime === 'string' && RUNTIME_FILES[data.runtime];
  if (!files) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(RUNTIME_CACHE);
      for (const url of files.map(runtimeUrl)) {
        if (!(await cache.match(url))) await cache.add(url).catch(() => undefined);
      }
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const url = event.request.url.split('#')[0];
  if (event.request.method !== 'GET' || !allRuntimeUrls.has(url)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(RUNTIME_CACHE);
      const hit = await cache.match(url);
      if (hit) return hit;
      const response = await fetch(event.request);
      if (response.ok) await cache.put(url, response.clone());
      return response;
    })(),
  );
});
