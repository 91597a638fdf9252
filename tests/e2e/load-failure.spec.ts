import { expect, test } from './fixtures';
import { openApp } from './helpers';

test('a load that fails after its files arrived says so and why, and offers to delete them', async ({
  page,
}) => {
  await openApp(page, { loadMs: 200, failLoad: 'OutOfMemoryError' });
  await page.getByRole('button', { name: /Download and load/ }).click();
  const error = page.getByTestId('load-error');
  await expect(error).toContainText('did not fit in the memory');
  await expect(error.getByTestId('files-kept')).toContainText('downloaded completely');
  const card = page.locator('label', { hasText: 'Scripted test model' });
  await expect(card).toContainText('Downloaded');

  await error.getByRole('button', { name: 'Delete the downloaded files' }).click();
  await expect(page.getByTestId('files-kept')).toHaveCount(0);
  await expect(card).not.toContainText('Downloaded');
  await expect(page.getByRole('button', { name: /Download and load/ })).toBeEnabled();
});
