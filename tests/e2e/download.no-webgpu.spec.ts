/**
 * The resumable downloader, end to end: the real transformers.js runtime and the tiny model, served
 * by the stand-in model host, which here cuts, throttles and corrupts on request and counts every
 * byte it serves. Chunks are 2 MiB (a test-only setting, tests/e2e/download-control.ts) so the ~11 MB weight file has six.
 * No WebGPU in this project: the tiny model runs on wasm, which asks for onnx/model_q4.onnx.
 */
import { expect, test, type Page } from './fixtures';
import { readFileSync } from 'node:fs';
import type { DownloadTuning } from '../../src/shared/engine';
import { tuneDownloads } from './download-control';
import { openApp, send } from './helpers';
import { expectTinyReply } from './tiny-model';

const HOST = `http://127.0.0.1:${Number(process.env.PW_MODEL_PORT ?? Number(process.env.PW_APP_PORT ?? 4173) + 1)}`;
const WEIGHTS = '/harbour-test/tiny-r1/resolve/main/onnx/model_q4.onnx';
const SIZE = readFileSync('tests/fixtures/models/harbour-test/tiny-r1/onnx/model_q4.onnx').length;
const CHUNK = 2 * 1024 * 1024;

interface Rule {
  match: string;
  [key: string]: unknown;
}

async function setRules(rules: Rule[]): Promise<void> {
  await fetch(`${HOST}/__control`, { method: 'POST', body: JSON.stringify({ rules }) });
}

async function resetHost(): Promise<void> {
  await fetch(`${HOST}/__reset`, { method: 'POST' });
}

/** Body bytes the host has served of the weight file since the last reset. */
async function servedWeightBytes(): Promise<number> {
  const stats = (await (await fetch(`${HOST}/__stats`)).json()) as { served: Record<string, number> };
  return stats.served[WEIGHTS] ?? 0;
}

/** Opens the app on the tiny model with small chunks; `tuning` overrides the downloader's settings. */
async function openTiny(page: Page, tuning: DownloadTuning = {}): Promise<void> {
  await tuneDownloads(page, { chunkBytes: CHUNK, parallel: 2, attempts: 2, stallMs: 3000, ...tuning });
  await openApp(page, {}, 'tiny-r1');
}

/** Reads the weight file's manifest from OPFS: bytes kept and whether it is verified. */
async function manifest(page: Page): Promise<{ stored: number; verified: boolean } | undefined> {
  return page.evaluate(async () => {
    try {
      const root = await navigator.storage.getDirectory();
      const dir = await (
        await (await root.getDirectoryHandle('harbour-downloads')).getDirectoryHandle('harbour-test--tiny-r1')
      ).getDirectoryHandle('onnx--model_q4.onnx');
      const text = await (await (await dir.getFileHandle('manifest.json')).getFile()).text();
      const parsed = JSON.parse(text) as {
        size: number;
        chunkBytes: number;
        chunks: (string | null)[];
        partial?: Record<string, { bytes: number }>;
        verified: boolean;
      };
      // Complete chunks, plus the committed start of chunks a cut or a pause left behind.
      const stored = parsed.chunks.reduce(
        (sum, hash, index) =>
          sum +
          (hash === null
            ? (parsed.partial?.[index]?.bytes ?? 0)
            : Math.min(parsed.chunkBytes, parsed.size - index * parsed.chunkBytes)),
        0,
      );
      return { stored, verified: parsed.verified };
    } catch {
      return undefined;
    }
  });
}

const loadButton = (page: Page) =>
  page.getByRole('button', { name: /^(Load model|Download and load|.* downloaded — Resume)/ });

test.beforeEach(async () => {
  await resetHost();
});

test('a download cut at 40% and again at 70% resumes each time with only the missing bytes, then loads and replies', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openTiny(page);
  await setRules([{ match: WEIGHTS, outage: Math.round(SIZE * 0.4) }]);
  await loadButton(page).click();
  await expect(page.getByTestId('load-error')).toContainText(
    /The download stopped at .* of .*: the connection to .* was lost/,
  );
  const first = await manifest(page);
  expect(first?.verified).toBe(false);
  expect(first?.stored).toBeGreaterThan(0);
  expect(first?.stored).toBeLessThanOrEqual(SIZE * 0.4);
  // The panel offers to resume with what is stored, and does not call the model downloaded.
  await expect(loadButton(page)).toHaveText(/ of .* downloaded — Resume/);
  await expect(page.locator('label', { hasText: 'Tiny R1 (test)' })).not.toContainText('Downloaded');

  // Cut again at 70% of the file: this attempt may serve only what lies between.
  await resetHost();
  const allowed = Math.round(SIZE * 0.7) - (first?.stored ?? 0);
  await setRules([{ match: WEIGHTS, outage: allowed }]);
  await page.getByTestId('load-error').getByRole('button').click();
  await loadButton(page).click();
  await expect(page.getByTestId('load-error')).toBeVisible();
  expect(await servedWeightBytes()).toBeLessThanOrEqual(allowed);
  const second = await manifest(page);
  expect(second?.stored).toBeGreaterThan(first?.stored ?? 0);

  // The network is back: exactly the missing bytes are served (plus the one-byte size probe).
  await resetHost();
  await page.getByTestId('load-error').getByRole('button').click();
  await loadButton(page).click();
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 60_000 });
  expect(await servedWeightBytes()).toBe(SIZE - (second?.stored ?? 0) + 1);
  expect((await manifest(page))?.verified).toBe(true);
  // transformers.js read every file through env.customCache: each request is our downloader's
  // (a Range request, or the LFS pointer at /raw/), none a whole-file fetch of its own.
  const stats = (await (await fetch(`${HOST}/__stats`)).json()) as {
    requests: { path: string; range: string | null }[];
  };
  const own = stats.requests.filter((request) => request.path.includes('/tiny-r1/'));
  expect(own.length).toBeGreaterThan(0);
  expect(own.filter((request) => request.range === null && !request.path.includes('/raw/'))).toEqual([]);
  await send(page, 'Hi');
  await expectTinyReply(page);
});

test('pause, resume, and a reload mid-download continue from the stored chunks', async ({ page }) => {
  test.setTimeout(120_000);
  await openTiny(page);
  // Slow enough to pause and reload in the middle: 400 KB/s per connection, two connections.
  await setRules([{ match: WEIGHTS, throttle: 400_000 }]);
  await loadButton(page).click();
  await expect
    .poll(async () => (await manifest(page))?.stored ?? 0, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(2 * CHUNK);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(loadButton(page)).toHaveText(/ of .* downloaded — Resume/);
  const paused = (await manifest(page))?.stored ?? 0;

  await loadButton(page).click();
  await expect
    .poll(async () => (await manifest(page))?.stored ?? 0, { timeout: 30_000 })
    .toBeGreaterThan(paused);
  await page.reload();
  await expect(loadButton(page)).toHaveText(/ of .* downloaded — Resume/);
  const atReload = (await manifest(page))?.stored ?? 0;
  expect(atReload).toBeGreaterThan(paused);

  await resetHost();
  await loadButton(page).click();
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 60_000 });
  expect(await servedWeightBytes()).toBe(SIZE - atReload + 1);
});

test('a corrupted chunk is caught by the sha256 check and refetched, never loaded', async ({ page }) => {
  test.setTimeout(120_000);
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('sha256 mismatch')) warnings.push(message.text());
  });
  await openTiny(page);
  // One wrong byte in the third chunk, once.
  await setRules([{ match: WEIGHTS, corruptAt: 2 * CHUNK + 100, times: 1 }]);
  await loadButton(page).click();
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 60_000 });
  expect(warnings.length).toBe(1);
  // The whole file, then chunks 1–3 again until the bad one was found and replaced.
  expect(await servedWeightBytes()).toBe(SIZE + 1 + 3 * CHUNK);
  await send(page, 'Hi');
  await expectTinyReply(page);
});

test('a full disk mid-download is reported with what is needed; what was stored is kept and resumes later', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openTiny(page);
  await setRules([{ match: WEIGHTS, throttle: 400_000 }]);
  await loadButton(page).click();
  await expect
    .poll(async () => (await manifest(page))?.stored ?? 0, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(CHUNK);
  // Shrink this site's quota to what it already uses: the next chunk cannot be written.
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 4096 });
  await expect(page.getByTestId('load-error')).toContainText('storage is full', { timeout: 30_000 });
  await expect(page.getByTestId('load-error')).toContainText('What is downloaded so far is kept');
  const kept = (await manifest(page))?.stored ?? 0;
  expect(kept).toBeGreaterThanOrEqual(CHUNK);
  await expect(page.locator('label', { hasText: 'Tiny R1 (test)' })).not.toContainText('Downloaded');

  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await resetHost();
  await page.getByTestId('load-error').getByRole('button').click();
  await loadButton(page).click();
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 60_000 });
  expect(await servedWeightBytes()).toBe(SIZE - kept + 1);
});

test('deleting the model removes its chunks and manifests; storage shows the bytes measured on disk', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openTiny(page);
  await loadButton(page).click();
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 60_000 });
  await page.reload();
  await page.getByRole('button', { name: 'Storage' }).click();
  const entry = page.getByTestId('cached-model').filter({ hasText: 'Tiny R1' });
  await expect(entry).toContainText(/[\d.]+ [KM]B on disk/);
  await entry.getByRole('button', { name: /Delete the files/ }).click();
  await expect(page.getByTestId('storage-panel')).toContainText('Deleted the files of Tiny R1');
  const left = await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const downloads = await root.getDirectoryHandle('harbour-downloads');
    const names: string[] = [];
    for await (const name of downloads.keys()) names.push(name);
    return names;
  });
  expect(left).not.toContain('harbour-test--tiny-r1');
});

test('a download that will not fit in what the browser grants is refused before it starts, saying what is needed', async ({
  page,
}) => {
  // The browser says this site may use only 10 KB more (Chromium's quota override does not reach
  // estimate(), so the answer is stubbed where the page asks).
  await page.addInitScript(() => {
    const estimate = async () => ({ usage: 50_000, quota: 60_000 });
    Object.defineProperty(navigator.storage, 'estimate', { value: estimate });
  });
  await openTiny(page);
  await loadButton(page).click();
  const refusal = page.getByTestId('no-space');
  await expect(refusal).toContainText(/This download needs [\d.]+ MB more/);
  await expect(refusal).toContainText('only 9.8 KB');
  expect(await servedWeightBytes()).toBe(0);
  await expect(loadButton(page)).toBeEnabled();
});
