import type { Page } from './fixtures';
import { expect, test } from './fixtures';
import { openApp } from './helpers';

/** Opens the app as a newcomer: no model chosen yet, English. */
async function openFresh(page: Page): Promise<void> {
  await page.addInitScript(() => localStorage.setItem('harbour-chat:locale', 'en'));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Harbour Chat' })).toBeVisible();
}

const card = (page: Page, name: RegExp) => page.locator('label', { has: page.getByRole('radio', { name }) });

test('with WebGPU (SwiftShader, no shader-f16), f16 models are marked and f32 models can be chosen', async ({
  page,
}) => {
  await openApp(page);
  await expect(page.getByTestId('gpu-problem')).toHaveCount(0);
  const f16 = page.getByRole('radio', { name: /Distill Qwen 7B · q4f16/ });
  const f32 = page.getByRole('radio', { name: /Distill Qwen 7B · q4f32/ });
  await expect(f16).toBeDisabled();
  await expect(f32).toBeEnabled();
  await expect(page.locator('label', { has: f16 })).toContainText('Needs shader-f16');
  await expect(page.locator('label', { has: f32 })).toContainText('Needs 5.8 GB of GPU memory');
});

test('a GPU without shader-f16 is recommended the 1.5B q8 on WebGPU, and not greeted with the f16 notice', async ({
  page,
}) => {
  await openFresh(page);
  const small = card(page, /Distill Qwen 1\.5B/);
  await expect(small.getByTestId('recommended')).toContainText('Recommended for this device');
  await expect(small.getByTestId('recommended')).toContainText('without 16-bit shaders');
  await expect(page.getByTestId('recommended')).toHaveCount(1);
  // The q8 file (1.85 GB + tokenizer), not the q4f16 one and never the 1.97 GB q4.
  await expect(small).toContainText('Download 1.7 GB');
  await expect(small).toContainText('Needs 2.4 GB of GPU memory');
  await expect(page.getByRole('radio', { name: /Distill Qwen 1\.5B/ })).toBeChecked();
  await expect(page.getByRole('button', { name: 'Download and load (1.7 GB)' })).toBeEnabled();
  await expect(page.getByTestId('gpu-no-f16')).toHaveCount(0);
  await expect(card(page, /Llama 8B · q4f16/).getByTestId('refusal')).toHaveText('Needs shader-f16');
});

test('a GPU with shader-f16 is recommended the 1.5B q4f16 and offered every build', async ({ page }) => {
  // The adapter is SwiftShader's, reporting shader-f16 as a GPU that has it would.
  await page.addInitScript(() => {
    const gpu = navigator.gpu;
    const requestAdapter = gpu.requestAdapter.bind(gpu);
    gpu.requestAdapter = async (options) => {
      const adapter = await requestAdapter(options);
      if (adapter) {
        const features = new Set(adapter.features);
        features.add('shader-f16');
        Object.defineProperty(adapter, 'features', { value: features });
      }
      return adapter;
    };
  });
  await openFresh(page);
  const small = card(page, /Distill Qwen 1\.5B/);
  await expect(small.getByTestId('recommended')).toContainText(
    'smallest download that runs on your graphics card',
  );
  await expect(small).toContainText('Download 1.3 GB');
  await expect(small).toContainText('Needs 1.9 GB of GPU memory');
  await expect(page.getByRole('button', { name: 'Download and load (1.3 GB)' })).toBeEnabled();
  await expect(page.getByRole('radio', { name: /Distill Qwen 7B · q4f16/ })).toBeEnabled();
  await expect(page.getByRole('radio', { name: /Llama 8B · q4f16/ })).toBeEnabled();
  await expect(page.getByTestId('refusal')).toHaveCount(0);
  await expect(page.getByTestId('gpu-no-f16')).toHaveCount(0);
});
