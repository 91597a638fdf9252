import { expect, test as base } from './fixtures';
import { loadModel, send } from './helpers';
import {
  cspViolations,
  modelHostOrigin,
  openSite,
  recordCspViolations,
  recordRequests,
  serviceWorkerReady,
  strayRequests,
} from './offline-helpers';

// This file runs with WebGPU (SwiftShader) so that the WebLLM runtime can be tried too; the rest of
// the offline project runs without it.
const test = base.extend<object, object>({
  launchOptions: [
    async ({ launchOptions }, use) => {
      const args = [
        ...(launchOptions.args ?? []),
        '--enable-unsafe-webgpu',
        '--use-webgpu-adapter=swiftshader',
      ];
      await use({ ...launchOptions, args: [...args, '--enable-features=Vulkan'] });
    },
    { scope: 'worker' },
  ],
});

// An answer that needs KaTeX (and its fonts) and highlight.js.
const richAnswer = [
  'Euler: $e^{i\\pi} + 1 = 0$ and',
  '',
  '$$\\left(\\sum_{k=1}^{n} \\frac{1}{k^2}\\right) \\le \\frac{\\pi^2}{6}$$',
  '',
  '```python',
  'print("海港傾偈")',
  '```',
].join('\n');

test('a full session makes no request to any origin but the app and the model host, and breaks no CSP rule', async ({
  page,
  context,
  baseURL,
}) => {
  // Three builds' worth of loading (scripted, tiny, WebLLM) on a shared machine.
  test.setTimeout(360_000);
  const requests = recordRequests(context);
  await recordCspViolations(page);
  await openSite(page, 'scripted-test', { tokenDelayMs: 0, answer: richAnswer });
  await serviceWorkerReady(page);

  await loadModel(page);
  await send(page, 'Show me some maths');
  const reply = page.getByTestId('message-assistant').first();
  await expect(reply).toHaveAttribute('data-status', 'done');
  await expect(reply.locator('.katex').first()).toBeVisible();
  // Every KaTeX font the stylesheet names loads from the app itself.
  const failedFonts = await page.evaluate(async () => {
    const results = await Promise.allSettled([...document.fonts].map((font) => font.load()));
    return results.filter((result) => result.status === 'rejected').length;
  });
  expect(failedFonts).toBe(0);

  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('button', { name: 'English' }).click();

  // The real transformers.js runtime downloads the tiny model from the model host.
  await page.getByRole('button', { name: 'Change model' }).click();
  await page.getByRole('radio', { name: /Tiny R1 \(test\)/ }).check();
  await page.getByRole('button', { name: /Download and load/ }).click();
  await expect(page.getByTestId('model-ready')).toContainText('Tiny R1', { timeout: 30_000 });
  // The audit needs the model's traffic, not its whole reply: its first words are enough.
  await page.getByRole('button', { name: '+ New chat' }).click();
  await send(page, 'Hi');
  const tinyReply = page.getByTestId('message-assistant').first();
  await expect(tinyReply.getByTestId('thinking')).toContainText('Someone wrote', { timeout: 150_000 });
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(tinyReply).toHaveAttribute('data-status', 'stopped');
  await page.getByRole('button', { name: 'Change model' }).click();

  // WebLLM's download path: its config from the model host, its library from the library host.
  await page.getByRole('radio', { name: /Tiny WebLLM \(test\)/ }).check();
  await page.getByRole('button', { name: /Download and load/ }).click();
  await expect(page.getByTestId('load-error')).toBeVisible({ timeout: 30_000 });

  await page.getByRole('button', { name: '+ New chat' }).click();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Harbour Chat' })).toBeVisible();

  // The recorder saw the engine worker's and the service worker's traffic, not only the page's.
  const urls = requests.map((request) => request.url());
  expect(urls.some((url) => url.startsWith(`${modelHostOrigin()}/harbour-test/tiny-r1/`))).toBe(true);
  expect(urls.some((url) => url.startsWith(`${modelHostOrigin()}/web-llm-models/`))).toBe(true);
  expect(requests.some((request) => request.serviceWorker() !== null)).toBe(true);

  expect(strayRequests(requests, baseURL ?? '')).toEqual([]);
  expect(await cspViolations(page)).toEqual([]);
});

test('the Content Security Policy names only the app and the model host, and holds in the page and the engine worker', async ({
  page,
  baseURL,
}) => {
  const modelHost = modelHostOrigin();
  // The same server under another name: reachable, but not an allowed origin.
  const otherOrigin = modelHost.replace('127.0.0.1', 'localhost');
  expect((await page.request.get(`${otherOrigin}/health`)).ok()).toBe(true);

  await openSite(page, 'scripted-test');
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).toContain(`connect-src 'self' ${modelHost};`);
  expect(policy).toContain("script-src 'self';");
  expect(policy).toContain("object-src 'none'");

  const tryFetch = async ([allowed, denied]: string[]) => {
    const violations: string[] = [];
    globalThis.addEventListener('securitypolicyviolation', (event) =>
      violations.push((event as SecurityPolicyViolationEvent).effectiveDirective),
    );
    const allowedOk = await fetch(allowed).then(
      (response) => response.ok,
      () => false,
    );
    const deniedBlocked = await fetch(denied).then(
      () => false,
      () => true,
    );
    // The violation event is queued as a task of its own, after the fetch has failed.
    if (violations.length === 0) {
      await new Promise((resolve) =>
        globalThis.addEventListener('securitypolicyviolation', resolve, { once: true }),
      );
    }
    return { allowedOk, deniedBlocked, violations };
  };
  const targets = [`${modelHost}/health`, `${otherOrigin}/health`];
  expect(await page.evaluate(tryFetch, targets)).toEqual({
    allowedOk: true,
    deniedBlocked: true,
    violations: ['connect-src'],
  });

  // A worker does not inherit the page's meta tag: once the service worker controls the page, it
  // serves the engine worker's script with its own connect-src policy.
  await serviceWorkerReady(page);
  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${baseURL}sw.js`);
  // Opening the page starts no engine worker (it reads which models are downloaded itself); a load does.
  await loadModel(page);
  await expect.poll(() => page.workers().some((worker) => worker.url().includes('engine.worker'))).toBe(true);
  const engine = page.workers().find((worker) => worker.url().includes('engine.worker'));
  expect(await engine?.evaluate(tryFetch, targets)).toEqual({
    allowedOk: true,
    deniedBlocked: true,
    violations: ['connect-src'],
  });
});
