import { expect, test } from './fixtures';
import { loadModel, openApp, send } from './helpers';
import { expectTinyReply, tinyAnswer } from './tiny-model';

// WebGPU through SwiftShader: slow (each step compiles shaders), which leaves time to press Stop.
test('the real transformers.js runtime streams the tiny model on WebGPU, and Stop keeps the partial reply', async ({
  page,
}) => {
  // The first run compiles the shaders for the real 151,936-wide vocabulary on SwiftShader: slow.
  test.setTimeout(600_000);
  await openApp(page, {}, 'tiny-r1');
  await expect(page.locator('label', { hasText: 'Tiny R1 (test)' })).not.toContainText(
    'Runs on the processor',
  );
  await loadModel(page, 240_000);
  await send(page, 'Hi');
  await expectTinyReply(page, 0, 240_000);

  await send(page, 'Again, please');
  const second = page.getByTestId('message-assistant').nth(1);
  await expect(second.getByTestId('thinking')).toContainText('Someone');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(second).toHaveAttribute('data-status', 'stopped');
  await expect(second.getByTestId('answer')).not.toContainText(tinyAnswer);
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
