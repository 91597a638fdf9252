/// <reference types="vite-plugin-pwa/vanillajs" />
/**
 * The page's side of the service worker (vite-plugin-pwa, Workbox). A new version installs in the
 * background and then waits: it takes over only when the user presses "Reload to update", and every
 * open tab reloads with it, so no page ever runs old code against the new version's files.
 */
import { registerSW } from 'virtual:pwa-register';

/** How often a long-open tab asks for a new version (the browser also asks on every page load). */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

export class AppUpdate {
  #waiting = $state(false);
  #activate: (() => Promise<void>) | undefined;

  /** A new version has installed and waits for the user's word. */
  get waiting(): boolean {
    return this.#waiting;
  }

  /** Registers the service worker (once); without service worker support the app simply stays online-only. */
  start(): void {
    if (this.#activate || !('serviceWorker' in navigator)) return;
    this.#activate = registerSW({
      onNeedRefresh: () => (this.#waiting = true),
      onRegisteredSW: (_url, registration) => {
        if (!registration) return;
        setInterval(() => {
          if (navigator.onLine) registration.update().catch(() => undefined);
        }, UPDATE_CHECK_MS);
      },
      onRegisterError: (error: unknown) => console.error('[pwa] service worker registration failed', error),
    });
  }

  /** Lets the waiting version take over; the page reloads when it does. */
  async reload(): Promise<void> {
    await this.#activate?.();
  }

  /** Keeps the current version for now; the prompt comes back on the next visit. */
  later(): void {
    this.#waiting = false;
  }
}

export const appUpdate = new AppUpdate();
