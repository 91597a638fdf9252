import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type APIRequestContext } from './fixtures';
import { openSite, serviceWorkerReady } from './offline-helpers';

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): string {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

async function fetchOk(request: APIRequestContext, url: string) {
  const response = await request.get(url);
  expect(response.status(), url).toBe(200);
  return response;
}

test('the sub-path build links a valid manifest whose icons load, and it is installable', async ({
  page,
  baseURL,
}) => {
  await openSite(page, 'scripted-test');
  const base = baseURL ?? '';
  const manifestUrl = await page
    .locator('link[rel="manifest"]')
    .evaluate((link: HTMLLinkElement) => link.href);
  expect(manifestUrl).toBe(`${base}manifest.webmanifest`);
  const manifest = await (await fetchOk(page.request, manifestUrl)).json();
  expect(manifest.name).toBe('Harbour Chat · 海港傾偈');
  expect(manifest.short_name).toBe('Harbour Chat');
  expect(manifest.display).toBe('standalone');
  expect(new URL(manifest.start_url, manifestUrl).href).toBe(base);
  expect(new URL(manifest.scope, manifestUrl).href).toBe(base);
  // The colours of src/app.css: the accent and the light background.
  expect(manifest.theme_color).toBe('#0b5cad');
  expect(manifest.background_color).toBe('#f7f8fa');
  expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe(manifest.theme_color);

  const icons = manifest.icons as ManifestIcon[];
  for (const icon of icons) {
    const response = await fetchOk(page.request, new URL(icon.src, manifestUrl).href);
    expect(response.headers()['content-type']).toBe('image/png');
    expect(pngSize(await response.body())).toBe(icon.sizes);
  }
  const sizes = (purpose: string) =>
    icons.filter((icon) => icon.purpose === purpose).map((icon) => icon.sizes);
  expect(sizes('any')).toEqual(expect.arrayContaining(['192x192', '512x512']));
  expect(sizes('maskable')).toEqual(expect.arrayContaining(['512x512']));

  for (const rel of ['icon', 'apple-touch-icon']) {
    const href = await page.locator(`link[rel="${rel}"]`).evaluate((link: HTMLLinkElement) => link.href);
    expect(href.startsWith(base)).toBe(true);
    await fetchOk(page.request, href);
  }
});

test("Chrome's own check finds the manifest valid and the app installable", async ({
  playwright,
  launchOptions,
  baseURL,
}) => {
  // Chrome never offers installation in an incognito-like context, so this test has a real profile.
  const profile = mkdtempSync(join(tmpdir(), 'harbour-install-'));
  const context = await playwright.chromium.launchPersistentContext(profile, { ...launchOptions, baseURL });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await openSite(page, 'scripted-test');
    await serviceWorkerReady(page);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.url).toBe(`${baseURL}manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('the service worker controls the page after a reload and has precached the app shell, not the models', async ({
  page,
  baseURL,
}) => {
  await openSite(page, 'scripted-test');
  const base = baseURL ?? '';
  expect(await serviceWorkerReady(page)).toBe(base);
  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${base}sw.js`);

  // What the built sw.js lists...
  const sw = await (await fetchOk(page.request, `${base}sw.js`)).text();
  const listed = [...sw.matchAll(/\{url:"([^"]+)",revision:/g)].map((match) => match[1]);
  for (const pattern of [
    /^index\.html$/,
    /^manifest\.webmanifest$/,
    /^assets\/index-[\w-]+\.js$/,
    /^assets\/index-[\w-]+\.css$/,
    /^assets\/engine\.worker-[\w-]+\.js$/,
    /^assets\/KaTeX_Main-Regular-[\w-]+\.woff2$/,
    /^icons\/maskable-512\.png$/,
  ]) {
    expect(listed.filter((url) => pattern.test(url)).length, String(pattern)).toBe(1);
  }
  // ...never model weights, and only woff2 of KaTeX's three font formats.
  expect(listed.filter((url) => /\.(onnx|bin|safetensors|gguf|ttf|woff)$/.test(url))).toEqual([]);
  // ...and no runtime's code: nothing downloads before the user picks a model (the app shell only).
  expect(listed.filter((url) => /^assets\/(webllm|transformers|scripted|ort-wasm)/.test(url))).toEqual([]);
  // The runtime cache script knows each runtime's files, to keep them once a model needs them.
  const runtimes = await (await fetchOk(page.request, `${base}sw-runtimes.js`)).text();
  for (const pattern of [
    /assets\/webllm-[\w-]+\.js/,
    /assets\/transformers-[\w-]+\.js/,
    /assets\/ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm/,
    /assets\/ort-wasm-simd-threaded\.asyncify-[\w-]+\.mjs/,
  ]) {
    expect(runtimes, String(pattern)).toMatch(pattern);
  }

  // ...is what the installed worker holds: the browser cache has every entry.
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const precache = names.find((name) => name.startsWith('workbox-precache'));
    if (!precache) return [];
    const requests = await (await caches.open(precache)).keys();
    return requests.map((request) => request.url);
  });
  const cachedPaths = cached.map((url) => new URL(url).pathname.slice(new URL(base).pathname.length));
  expect(cachedPaths.sort()).toEqual([...listed].sort());
});
