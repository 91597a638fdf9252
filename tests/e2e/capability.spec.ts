import { expect, test } from './fixtures';
import { openApp } from './helpers';

test('with WebGPU (SwiftShader, no shader-f16), f16 models are marked and f32 models can be chosen', async ({
  page,
}) => {
  await openApp(page);
  await expect(page.getByTestId('gpu-problem')).toHaveCount(0);
  await expect(page.getByTestId('gpu-no-f16')).toBeVisible();
  const f16 = page.getByRole('radio', { name: /Distill Qwen 7B · q4f16/ });
  const f32 = page.getByRole('radio', { name: /Distill Qwen 7B · q4f32/ });
  await expect(f16).toBeDisabled();
  await expect(f32).toBeEnabled();
  await expect(page.locator('label', { has: f16 })).toContainText('Needs shader-f16');
  await expect(page.locator('label', { has: f32 })).toContainText('Needs 5.8 GB of GPU memory');
});
