/**
 * Serves the engine worker's script with its Content-Security-Policy: a worker loaded from a URL
 * takes the policy of its script's response, not the page's meta tag, and a static host cannot add
 * headers. Imported by the service worker before Workbox, so it runs before Workbox's fetch handler.
 */

declare const self: ServiceWorkerGlobalScope;
/** The engine worker's policy, written in at build time (build/csp.ts). */
declare const ENGINE_POLICY: string;

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.destination !== 'worker' || new URL(request.url).origin !== self.location.origin) return;
  event.stopImmediatePropagation();
  event.respondWith(withPolicy(request));
});

async function withPolicy(request: Request): Promise<Response> {
  const response = (await caches.match(request)) ?? (await fetch(request));
  const headers = new Headers(response.headers);
  headers.set('Content-Security-Policy', ENGINE_POLICY);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
