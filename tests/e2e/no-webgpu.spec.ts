import { expect, test } from './fixtures';
import { loadModel, openApp, send } from './helpers';

// This project launches Chromium without the WebGPU flags: navigator.gpu exists but offers no
// adapter, which is what a real browser with WebGPU disabled or blocklisted does.
test('without a WebGPU adapter the page says so plainly, and history and chat still work', async ({
  page,
}) => {
  await openApp(page, { tokenDelayMs: 0 });
  const notice = page.getByTestId('gpu-problem');
  await expect(notice).toContainText('no graphics card was offered');
  await expect(notice).toContainText('hardware acceleration');
  await expect(notice).toContainText('run on the processor');
  await expect(page.getByRole('radio', { name: /Distill Llama 8B · q4f32/ })).toBeDisabled();
  await expect(page.locator('label', { hasText: 'Llama 8B · q4f32' })).toContainText('Needs WebGPU');

  await loadModel(page);
  await send(page, 'Still here?');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  await page.reload();
  await expect(page.getByTestId('user-text')).toHaveText('Still here?');
});

test('a browser with no WebGPU at all is told which browsers work', async ({ page }) => {
  // Browsers without WebGPU have no navigator.gpu; remove it before the app's scripts run.
  await page.addInitScript(() => {
    delete (Navigator.prototype as { gpu?: unknown }).gpu;
  });
  await openApp(page);
  expect(await page.evaluate(() => 'gpu' in navigator)).toBe(false);
  const notice = page.getByTestId('gpu-problem');
  await expect(notice).toContainText('WebGPU is missing');
  await expect(notice).toContainText('Chrome or Edge');
});
