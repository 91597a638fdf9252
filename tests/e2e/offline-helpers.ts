/**
 * Steps for the offline and deployment tests, which run against the build served from a sub-path
 * (`baseURL` ends in `/harbour-chat/`): page URLs are relative to it, never absolute paths.
 */
import { expect, type BrowserContext, type Page, type Request } from '@playwright/test';
import { scriptModel, type ScriptedBehaviour } from './scripted-control';

// Ports and folders as playwright.config.ts sets them.
const appPort = Number(process.env.PW_APP_PORT ?? 4173);

/** The stand-in model host's origin: the test build's VITE_MODEL_HOST. */
export function modelHostOrigin(): string {
  return `http://127.0.0.1:${Number(process.env.PW_MODEL_PORT ?? appPort + 1)}`;
}

/** The folder `vite preview` serves the sub-path build from (it reads files afresh on each request). */
export function pagesOutDir(): string {
  return `dist-test-pages-${Number(process.env.PW_PAGES_PORT ?? appPort + 2)}`;
}

/** Opens the app at its sub-path with `modelId` chosen and English as the language. */
export async function openSite(page: Page, modelId: string, script: ScriptedBehaviour = {}): Promise<void> {
  await scriptModel(page, script);
  await page.addInitScript((id) => {
    localStorage.setItem('harbour-chat:model', id);
    localStorage.setItem('harbour-chat:locale', 'en');
  }, modelId);
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'Harbour Chat' })).toBeVisible();
}

/** Waits until the service worker has installed (the precache is complete) and is active. */
export async function serviceWorkerReady(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (worker && worker.state !== 'activated') {
      await new Promise((resolve) => worker.addEventListener('statechange', resolve, { once: true }));
    }
    return registration.scope;
  });
}

/** Every request made in `context` by pages, their workers and the service worker. */
export function recordRequests(context: BrowserContext): Request[] {
  const requests: Request[] = [];
  context.on('request', (request) => requests.push(request));
  return requests;
}

/** The requests that went anywhere but the app's own sub-path and the model host. */
export function strayRequests(requests: Request[], appBase: string): string[] {
  const app = new URL(appBase);
  const allowed = new Set([app.origin, modelHostOrigin()]);
  return requests
    .map((request) => request.url())
    .filter((address) => {
      const url = new URL(address);
      // data: and blob: URLs never leave the browser (a blob: URL carries its creator's origin).
      if (url.protocol === 'data:') return false;
      if (!allowed.has(url.origin)) return true;
      return url.origin === app.origin && url.protocol !== 'blob:' && !url.pathname.startsWith(app.pathname);
    });
}

/** Collects Content-Security-Policy violations reported in the page. */
export async function recordCspViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const violations: string[] = [];
    Object.assign(window, { __cspViolations: violations });
    document.addEventListener('securitypolicyviolation', (event) =>
      violations.push(`${event.effectiveDirective} ${event.blockedURI}`),
    );
  });
}

export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}
