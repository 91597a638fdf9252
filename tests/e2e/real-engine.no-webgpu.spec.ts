import { expect, test } from './fixtures';
import { loadModel, openApp, send } from './helpers';
import { expectTinyReply, loadPercents, modelHostRequests, recordLoadPercents } from './tiny-model';

// No WebGPU adapter in this project: the app offers the CPU (wasm) backend as a slow mode.
test('the real transformers.js runtime runs the tiny model on wasm, and a reload reads it from cache', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await recordLoadPercents(page);
  const requests = modelHostRequests(page);
  await openApp(page, {}, 'tiny-r1');
  await expect(page.locator('label', { hasText: 'Tiny R1 (test)' })).toContainText(
    'Runs on the processor (slow)',
  );
  await loadModel(page);
  expect(Math.max(...(await loadPercents(page)))).toBe(100);
  expect(requests.some((path) => path.endsWith('/onnx/model_q4.onnx'))).toBe(true);

  await send(page, 'Hi');
  await expectTinyReply(page);
  await send(page, '你好，請介紹一下你自己。');
  await expectTinyReply(page, 1);

  requests.length = 0;
  await page.reload();
  await expect(page.getByTestId('message-assistant')).toHaveCount(2);
  await loadModel(page);
  await send(page, 'Once more');
  await expectTinyReply(page, 2);
  expect(requests.filter((path) => path.includes('/harbour-test/tiny-r1/'))).toEqual([]);
});
