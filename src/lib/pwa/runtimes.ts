/**
 * Asks the service worker to keep a runtime's code (sw/runtime-cache.ts)
 * once a model of that runtime has loaded. The service worker also keeps these files as they pass
 * through it, but an engine worker started before the service worker took control (a first visit)
 * fetches them past it; this message covers that case, so the model still loads offline afterwards.
 */
import type { RuntimeKind } from '../../shared/catalog';

/** The message sw/runtime-cache.ts listens for (the build writes this constant into it). */
export const KEEP_RUNTIME_MESSAGE = 'harbour-chat:keep-runtime';

export function keepRuntime(runtime: RuntimeKind): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  void navigator.serviceWorker.ready
    .then((registration) => registration.active?.postMessage({ type: KEEP_RUNTIME_MESSAGE, runtime }))
    .catch(() => undefined);
}
