import { expect, test } from './fixtures';

// This project launches Chromium without the WebGPU flags: no adapter is offered.
test('without WebGPU the 1.5B is recommended on the processor, with its memory and no GPU claims', async ({
  page,
}) => {
  await page.addInitScript(() => localStorage.setItem('harbour-chat:locale', 'en'));
  await page.goto('/');
  const small = page.locator('label', { has: page.getByRole('radio', { name: /Distill Qwen 1\.5B/ }) });
  await expect(small.getByTestId('recommended')).toContainText('on the processor');
  await expect(small).toContainText('Download 1.7 GB');
  await expect(small).toContainText('Uses about 6.4 GB of memory');
  await expect(small).toContainText('Runs on the processor (slow)');
  await expect(small).not.toContainText('GPU memory');
  await expect(page.getByRole('button', { name: 'Download and load (1.7 GB)' })).toBeEnabled();
  const webllm = page.locator('label', { has: page.getByRole('radio', { name: /Llama 8B · q4f32/ }) });
  await expect(webllm.getByTestId('refusal')).toHaveText('Needs WebGPU');
  await expect(page.getByRole('radio', { name: /Llama 8B · q4f32/ })).toBeDisabled();
});
