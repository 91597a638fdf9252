import { expect, test } from './fixtures';
import { openApp, send } from './helpers';
import { expectTinyReply } from './tiny-model';

// The real transformers.js runtime and the tiny model, on wasm (fast). The first load's model file
// is held back by the test, as a slow network would, so that Cancel lands mid-download.
test('Cancel stops the download for real, and loading again at once gives one working model', async ({
  page,
}) => {
  test.setTimeout(180_000);
  let releaseFirst: () => void = () => undefined;
  const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
  // Every model-file request of the first load (transformers.js probes with a Range request, then
  // fetches) waits until the test releases it; the second load's go straight through.
  let holding = true;
  let held = 0;
  await page.context().route('**/harbour-test/tiny-r1/resolve/main/onnx/*.onnx', async (route) => {
    if (holding) {
      held++;
      await firstHeld;
    }
    await route.continue().catch(() => undefined); // an aborted request cannot be continued
  });
  const aborted: string[] = [];
  page.context().on('requestfailed', (request) => {
    if (request.url().endsWith('.onnx')) aborted.push(request.failure()?.errorText ?? '');
  });

  await openApp(page, {}, 'tiny-r1');
  await page.getByRole('button', { name: /Download and load/ }).click();
  await expect.poll(() => held).toBeGreaterThan(0);
  // During the download the button says Pause: the downloader keeps finished chunks for a resume.
  await page.getByRole('button', { name: 'Pause' }).click();
  holding = false;
  // The held request was aborted by Cancel (transformers.js alone would let it run on unseen), and
  // with the model file missing the model is not "Downloaded".
  await expect.poll(() => aborted).toContain('net::ERR_ABORTED');
  await expect(page.locator('label', { hasText: 'Tiny R1 (test)' })).not.toContainText('Downloaded');

  await page.getByRole('button', { name: /Download and load|Resume/ }).click();
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 60_000 });
  releaseFirst();
  await send(page, 'Hi');
  await expectTinyReply(page);
  await expect(page.getByTestId('model-ready')).toBeVisible();
  await expect(page.getByTestId('load-error')).toHaveCount(0);
});
