import { expect, test } from './fixtures';
import { englishLeft, loadModelAnyLanguage, openWith, sendAndWait } from './i18n-helpers';

test.describe('first visit with a Hong Kong browser', () => {
  test.use({ locale: 'zh-HK' });

  test('the interface is in Traditional Chinese and <html lang> says zh-HK', async ({ page }) => {
    await openWith(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('海港傾偈');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-HK');
  });
});

test.describe('first visit with an English browser', () => {
  test.use({ locale: 'en-GB' });

  test('the interface is in English and <html lang> says en', async ({ page }) => {
    await openWith(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Harbour Chat');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });
});

test('switching to zh-HK changes every string on the main screens and is remembered', async ({ page }) => {
  await openWith(page, { locale: 'en', script: { tokenDelayMs: 0 } });

  // Before a model is loaded: the model list, the starting points, the composer.
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-HK');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('海港傾偈');
  await expect(page.getByRole('heading', { name: '揀模型' })).toBeVisible();
  await expect(page.getByTestId('starters')).toContainText('行程規劃');
  expect(await englishLeft(page)).toEqual([]);

  // A model ready, the empty conversation with its cards.
  await loadModelAnyLanguage(page);
  await expect(page.getByTestId('model-ready')).toContainText('已準備好');
  expect(await englishLeft(page)).toEqual([]);

  // A conversation with a finished reply: thinking panel, stats, actions, the sidebar's date group.
  await sendAndWait(page, 'Hello there');
  const reply = page.getByTestId('message-assistant');
  await expect(reply.getByTestId('thinking-summary')).toHaveText(/^思考咗 \d+ 秒$/);
  await expect(reply.getByTestId('reply-stats')).toContainText('個 token');
  await expect(page.getByRole('navigation', { name: '對話' })).toContainText('今日');
  expect(await englishLeft(page)).toEqual([]);

  // The model list opened again from a ready model.
  await page.getByRole('button', { name: '更換模型' }).click();
  await expect(page.getByRole('heading', { name: '揀模型' })).toBeVisible();
  expect(await englishLeft(page)).toEqual([]);
  await page.getByRole('button', { name: '更換模型' }).click();

  // The settings dialog, with the theme switch.
  await page.getByRole('button', { name: '設定' }).click();
  const settings = page.getByRole('dialog', { name: '設定' });
  await expect(settings).toBeVisible();
  await expect(settings.getByRole('group', { name: '主題' })).toBeVisible();
  expect(await englishLeft(page)).toEqual([]);
  await settings.getByRole('button', { name: '關閉' }).click();

  // The storage dialog.
  await page.getByRole('button', { name: '儲存空間' }).click();
  await expect(page.getByRole('dialog', { name: '儲存空間' })).toBeVisible();
  expect(await englishLeft(page)).toEqual([]);
  await page.keyboard.press('Escape');

  // Remembered across a reload, and switching back gives the English interface again.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-HK');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('海港傾偈');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Harbour Chat');
  await expect(page.getByRole('button', { name: 'Settings' })).toBeVisible();
});

test('zh-HK on a phone: the drawer, its controls and the menu button are in Chinese', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openWith(page, { locale: 'zh-HK', script: { tokenDelayMs: 0 } });
  await loadModelAnyLanguage(page);
  await sendAndWait(page, 'Hello there');
  await page.getByRole('button', { name: '對話列表' }).click();
  await expect(page.getByRole('navigation', { name: '對話' })).toBeVisible();
  expect(await englishLeft(page)).toEqual([]);
});

test('a download in progress shows its numbers and time in the user’s language', async ({ page }) => {
  await openWith(page, { locale: 'zh-HK', script: { loadMs: 20_000 } });
  await page.getByRole('button', { name: /^下載並載入/ }).click();
  const progress = page.getByTestId('load-progress');
  await expect(progress).toContainText('下載中');
  await expect(progress).toContainText(/尚餘 .*(秒|分鐘)/);
  expect(await englishLeft(page)).toEqual([]);
  await page.getByRole('button', { name: '取消' }).click();
});
