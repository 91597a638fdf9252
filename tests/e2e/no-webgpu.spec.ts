import { expect, test } from '@playwright/test';
import { loadModel, openApp, send } from './helpers';

test('without WebGPU the page says so plainly, and history and chat still work', async ({ page }) => {
  await openApp(page, { tokenDelayMs: 0 });
  expect(await page.evaluate(() => 'gpu' in navigator)).toBe(false);
  const notice = page.getByTestId('gpu-problem');
  await expect(notice).toContainText('WebGPU is missing');
  await expect(notice).toContainText('Chrome or Edge');
  await expect(page.getByRole('radio', { name: /Distill Llama 8B · q4f32/ })).toBeDisabled();
  await expect(page.locator('label', { hasText: 'Llama 8B · q4f32' })).toContainText('Needs WebGPU');

  await loadModel(page);
  await send(page, 'Still here?');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  await page.reload();
  await expect(page.getByTestId('message-user')).toHaveText('Still here?');
});
