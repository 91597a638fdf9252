/**
 * The first minutes of a newcomer: the start button in sight at every size, the model panel folding
 * away once it has done its job, the focus landing in the message box, and a failed download that
 * says what really happened.
 */
import { expect, test } from './fixtures';
import { loadModel, openApp, send } from './helpers';

for (const [width, height] of [
  [360, 640],
  [390, 844],
  [1280, 800],
] as const) {
  for (const locale of ['en', 'zh-HK'] as const) {
    test(`${width}×${height}, ${locale}: the start button is in sight without scrolling`, async ({
      page,
    }) => {
      await page.setViewportSize({ width, height });
      await page.addInitScript((lang) => localStorage.setItem('harbour-chat:locale', lang), locale);
      await page.goto('/');
      const start = page.getByRole('button', { name: /^(Download and load|下載並載入)/ });
      await expect(start).toBeInViewport({ ratio: 1 });
      await expect(page.getByTestId('download-estimate')).toBeInViewport();
    });
  }
}

test('once the model is ready the panel folds, the focus is in the message box, and Escape folds it again', async ({
  page,
}) => {
  await openApp(page);
  const toggle = page.getByRole('button', { name: 'Change model' });
  await loadModel(page);
  await expect(page.getByRole('heading', { name: 'Choose a model' })).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: /^Ask anything/ })).toBeFocused();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('heading', { name: 'Choose a model' })).toBeVisible();
  await page.getByRole('radio', { name: /Scripted test model/ }).focus();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: 'Choose a model' })).toHaveCount(0);
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(toggle).toBeFocused();
});

test('opening an old chat folds the model panel away, and "Choose model" brings it back', async ({
  page,
}) => {
  await openApp(page, { tokenDelayMs: 0 });
  await loadModel(page);
  await send(page, 'An old question');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Choose a model' })).toBeVisible();
  await page.getByRole('button', { name: '+ New chat' }).click();
  await page
    .getByTestId('conversation')
    .getByRole('button', { name: 'An old question', exact: true })
    .click();
  await expect(page.getByRole('heading', { name: 'Choose a model' })).toHaveCount(0);
  await expect(page.getByTestId('message-user')).toContainText('An old question');
  const toggle = page.getByRole('button', { name: 'Choose model' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(page.getByRole('button', { name: /^Load model/ })).toBeInViewport();
});

test('a reopened page knows which models are downloaded without starting the engine worker', async ({
  page,
}) => {
  await openApp(page);
  await loadModel(page);
  await page.reload();
  await expect(page.locator('label', { hasText: 'Scripted test model' })).toContainText('Downloaded');
  await expect(page.getByRole('button', { name: /^Load model/ })).toBeVisible();
  expect(page.workers()).toEqual([]);
});

test.describe('a failed download', () => {
  const modelFiles = '**/harbour-test/tiny-r1/resolve/main/**';

  test('with the host unreachable, the error names it, is in sight, and promises nothing', async ({
    page,
    context,
  }) => {
    await context.route(modelFiles, (route) => route.abort('connectionrefused'));
    await openApp(page, {}, 'tiny-r1');
    await page.getByRole('button', { name: /^Download and load/ }).click();
    const error = page.getByTestId('load-error');
    await expect(error).toContainText(/Cannot reach 127\.0\.0\.1:\d+\. Your network, or a firewall/);
    await expect(error).toContainText('nothing was downloaded');
    await expect(error).toContainText('press “Download and load');
    await expect(error).not.toContainText('kept');
    await expect(error).toBeInViewport({ ratio: 1 });
    expect((await error.boundingBox())?.height ?? 0).toBeGreaterThan(40);
  });

  test('cut off part way, it says where it stopped (zh-HK too)', async ({ page, context }) => {
    // The tokenizer and config arrive; the connection drops when the weights are due.
    await context.route('**/harbour-test/tiny-r1/resolve/main/onnx/**', (route) =>
      route.abort('internetdisconnected'),
    );
    await openApp(page, {}, 'tiny-r1');
    await page.getByRole('button', { name: /^Download and load/ }).click();
    const error = page.getByTestId('load-error');
    await expect(error).toContainText(/The download stopped at [\d.]+ [KM]?B of [\d.]+ [KM]?B/);
    await expect(error).toContainText('Files that finished are kept');
    await expect(error).toBeInViewport({ ratio: 1 });
    await page.getByRole('button', { name: '中文' }).click();
    await expect(error).toContainText(/下載喺 [\d.]+ [KM]?B／[\d.]+ [KM]?B 停咗/);
    // The finished files are kept, so the button it names is the Resume one.
    await expect(error).toContainText(/按「已下載 [\d.]+ [KM]?B／[\d.]+ [KM]?B — 繼續」/);
  });
});
