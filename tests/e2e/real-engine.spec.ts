import { expect, test } from './fixtures';
import { loadModel, openApp, send } from './helpers';
import { expectTinyReply, tinyThought } from './tiny-model';

// WebGPU through SwiftShader (the CPU): a decode step of the tiny model takes about 0.1 s here, so
// the whole reply streams (its thought/answer split checked as on wasm), then a second reply is
// stopped mid-thought.
test('the real transformers.js runtime streams the tiny model on WebGPU, and Stop keeps the partial reply', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await openApp(page, {}, 'tiny-r1');
  await expect(page.locator('label', { hasText: 'Tiny R1 (test)' })).not.toContainText(
    'Runs on the processor',
  );
  await loadModel(page, 240_000);
  await send(page, 'Hi');
  await expectTinyReply(page, 0, 240_000);

  await send(page, 'Again');
  const reply = page.getByTestId('message-assistant').nth(1);
  // The template opened the thought, so the first words stream into the thinking panel.
  await expect(reply.getByTestId('thinking')).toContainText('Someone wrote', { timeout: 240_000 });
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(reply).toHaveAttribute('data-status', 'stopped', { timeout: 60_000 });
  // Stopped within a few tokens of the first words (a step is ~0.1 s): the text is the reply's start.
  const streamed = (
    (await reply.getByTestId('thinking').locator('.thought-text').textContent()) ?? ''
  ).trim();
  expect(streamed.startsWith(tinyThought) || tinyThought.startsWith(streamed)).toBe(true);
  await page.reload();
  await expect(page.getByTestId('message-assistant').nth(1)).toHaveAttribute('data-status', 'stopped');
});

test('the WebLLM download path fetches the model config into its cache and reports the missing model library clearly', async ({
  page,
}) => {
  const requested: string[] = [];
  page.context().on('request', (request) => requested.push(request.url()));
  await openApp(page, {}, 'tiny-webllm');
  await page.getByRole('button', { name: /Download and load/ }).click();
  await expect(page.getByTestId('load-error')).toContainText(
    'GPU program could not be downloaded or started',
  );
  expect(
    requested.some((url) => url.endsWith('/harbour-test/tiny-webllm/resolve/main/mlc-chat-config.json')),
  ).toBe(true);
  expect(requested.some((url) => url.endsWith('/web-llm-models/v0_2_86/base/tiny-webllm-webgpu.wasm'))).toBe(
    true,
  );
  const cached = await page.evaluate(async () => {
    const cache = await caches.open('webllm/config');
    return (await cache.keys()).map((request) => request.url);
  });
  expect(cached.some((url) => url.endsWith('tiny-webllm/resolve/main/mlc-chat-config.json'))).toBe(true);
  // Nothing is stuck: the user can choose again.
  await expect(page.getByRole('button', { name: /Download and load/ })).toBeEnabled();
});
