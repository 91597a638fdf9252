/**
 * Less on screen at once: reply figures folded away, the memory meter labelled in words, the
 * "keep site data" explanation said once, Storage opening over the page rather than the phone's
 * drawer, and a phone's placeholder without keyboard shortcuts.
 */
import { expect, test } from './fixtures';
import { loadModel, openApp, send } from './helpers';

test('reply figures sit behind a toggle, the memory meter has a visible label, the data notice is said once', async ({
  page,
}) => {
  await openApp(page, { tokenDelayMs: 0 });
  await loadModel(page);
  const notice = page.getByTestId('persist-notice');
  await expect(notice).toContainText('asks the browser to keep this site’s data');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await expect(page.locator('#sidebar')).not.toContainText('keep this site’s data');

  await send(page, 'Hello');
  const stats = page.getByTestId('message-assistant').getByTestId('reply-stats');
  await expect(stats.getByText(/tokens\/s/)).toBeHidden();
  await stats.getByText('Speed').click();
  await expect(stats.getByText(/tokens\/s/)).toBeVisible();
  await expect(page.getByText(/^Memory used: \d+%$/)).toBeVisible();

  await page.reload();
  await loadModel(page);
  await expect(notice).toHaveCount(0);
});

test('on a phone: Storage opens over the page with the drawer closed, and the placeholder is short', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openApp(page);
  await loadModel(page);
  await expect(page.getByRole('textbox', { name: /^Ask anything/ })).toHaveAttribute(
    'placeholder',
    'Ask anything',
  );
  await page.getByRole('button', { name: 'Chat list' }).click();
  await expect(page.locator('#sidebar')).toBeVisible();
  await page.getByRole('button', { name: 'Storage' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expect(page.locator('#sidebar')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Chat list' })).toHaveAttribute('aria-expanded', 'false');
});
