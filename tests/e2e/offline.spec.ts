import { expect, test } from './fixtures';
import { loadModel, send } from './helpers';
import { openSite, recordRequests, serviceWorkerReady, strayRequests } from './offline-helpers';
import { expectTinyReply } from './tiny-model';
import type { Page } from './fixtures';

/** The paths in the service worker's runtime cache (sw-runtimes.js). */
function runtimeCache(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    if (!(await caches.has('harbour-runtimes'))) return [];
    const requests = await (await caches.open('harbour-runtimes')).keys();
    return requests.map((request) => new URL(request.url).pathname);
  });
}

test('after the first download the app opens offline from the service worker, loads the model from cache and replies', async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const requests = recordRequests(context);
  await openSite(page, 'tiny-r1');
  expect(await serviceWorkerReady(page)).toBe(baseURL);
  // Before any model: no runtime's code in the browser.
  expect(await runtimeCache(page)).toEqual([]);
  await page.getByRole('button', { name: /Download and load/ }).click();
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 30_000 });
  await send(page, 'Hi');
  await expectTinyReply(page);
  // Loading a transformers.js model kept its runtime (the chunk, ONNX Runtime's wasm and loader).
  const kept = await runtimeCache(page);
  expect(kept.filter((path) => /assets\/transformers-[\w-]+\.js$/.test(path))).toHaveLength(1);
  expect(kept.filter((path) => /assets\/ort-wasm-[\w.-]+\.wasm$/.test(path))).toHaveLength(1);
  expect(kept.filter((path) => /assets\/webllm-/.test(path))).toEqual([]);

  await context.setOffline(true);
  const banner = page.getByTestId('offline-banner');
  await expect(banner).toContainText('You are offline');

  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${baseURL}sw.js`);
  await expect(page.getByRole('heading', { name: 'Harbour Chat' })).toBeVisible();
  // The page says so once, and the notice can be put away.
  await expect(banner).toHaveCount(1);
  await expect(banner).toContainText('Saved chats and downloaded models still work');

  // The downloaded model is ready to load; the others are marked as needing a connection.
  const tiny = page.locator('label', { hasText: 'Tiny R1 (test)' });
  await expect(tiny).toContainText('Downloaded');
  await expect(tiny).not.toContainText('Needs a connection');
  await expect(page.locator('label', { hasText: 'Tiny WebLLM (test)' })).toContainText(
    'Needs a connection to download',
  );
  await expect(page.getByTestId('message-assistant')).toHaveCount(1);

  const before = requests.length;
  await loadModel(page);
  await send(page, 'Are you still there?');
  await expectTinyReply(page, 1);
  // Nothing was fetched from the model host: every file came from the browser's cache.
  const modelHostAfter = requests.slice(before).filter((request) => request.url().includes('/resolve/main/'));
  expect(modelHostAfter.map((request) => request.url())).toEqual([]);

  await banner.getByRole('button', { name: 'Dismiss' }).click();
  await expect(banner).toHaveCount(0);
  await context.setOffline(false);
  await context.setOffline(true);
  await expect(banner).toHaveCount(1);
  await context.setOffline(false);
  await expect(banner).toHaveCount(0);
  expect(strayRequests(requests, baseURL ?? '')).toEqual([]);
});
