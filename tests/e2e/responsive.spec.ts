import { expect, test, type Page } from './fixtures';
import { loadModelAnyLanguage, openWith, sendAndWait } from './i18n-helpers';

/** A reply with the wide things a phone must contain: a table, code, a long link, maths. */
const wideAnswer = [
  '## 由機場去中環',
  '| 交通 | 時間 | 車費 |\n| --- | --- | --- |\n| 機場快綫 Airport Express | 24 分鐘 | HK$115 |\n| 巴士 A11 | 60 分鐘 | HK$40 |',
  '```sh\ncurl https://example.org/a/very/long/path/that/does/not/fit/on/a/phone/screen/at/all?with=query&and=more\n```',
  'See https://www.example.org/transport/airport/to/central/with/a/very/long/address/indeed for details.',
  '$$\\int_0^{24} h(t)\\,dt = \\sum_{k=1}^{n} a_k \\sin(\\omega k t) + b_k \\cos(\\omega k t)$$',
  '你好，歡迎使用海港傾偈。呢段係一段好長好長嘅中文，用嚟睇下喺細螢幕上面會唔會正常換行，唔會爆出畫面之外。',
].join('\n\n');

async function noHorizontalOverflow(page: Page): Promise<void> {
  const sizes = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(sizes.scroll, 'the page scrolls sideways').toBeLessThanOrEqual(sizes.client);
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
}

for (const width of [360, 1280] as const) {
  for (const theme of ['light', 'dark'] as const) {
    test(`${width} px, ${theme}: every screen fits, nothing scrolls sideways (screenshots)`, async ({
      page,
    }) => {
      await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
      await openWith(page, { locale: 'zh-HK', theme, script: { tokenDelayMs: 0, answer: wideAnswer } });
      await expect(page.getByTestId('starters')).toBeVisible();
      await noHorizontalOverflow(page);
      await shoot(page, `${width}-${theme}-1-first-visit`);

      await loadModelAnyLanguage(page);
      await noHorizontalOverflow(page);
      await shoot(page, `${width}-${theme}-2-ready`);

      await sendAndWait(page, '點樣由機場去中環？');
      await noHorizontalOverflow(page);
      await expect(page.locator('#composer-input')).toBeInViewport();
      await shoot(page, `${width}-${theme}-3-conversation`);

      await page.getByRole('button', { name: '設定' }).click();
      await expect(page.getByRole('dialog', { name: '設定' })).toBeVisible();
      await noHorizontalOverflow(page);
      await shoot(page, `${width}-${theme}-4-settings`);
      await page.keyboard.press('Escape');

      if (width === 360) {
        await page.getByRole('button', { name: '對話列表' }).click();
        await expect(page.getByRole('navigation')).toBeVisible();
        await noHorizontalOverflow(page);
        await shoot(page, `${width}-${theme}-5-chat-list`);
        await page.keyboard.press('Escape');
      }

      await page.getByRole('button', { name: 'English' }).click();
      if (width === 360) await page.getByRole('button', { name: 'Chat list', exact: true }).click();
      await page.getByRole('button', { name: '+ New chat' }).click();
      // A new conversation shows its starting points from the top, not scrolled like the last one.
      await expect(page.getByRole('heading', { name: 'Start with one of these' })).toBeInViewport();
      await noHorizontalOverflow(page);
      await shoot(page, `${width}-${theme}-6-english-empty`);
    });
  }
}

test('on a phone the chat list is a drawer: menu opens it, Escape closes it, focus follows', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openWith(page, { locale: 'en', script: { tokenDelayMs: 0 } });
  await loadModelAnyLanguage(page);
  await sendAndWait(page, 'First');

  const nav = page.getByRole('navigation', { name: 'Chats' });
  const menu = page.getByRole('button', { name: 'Chat list', exact: true });
  await expect(nav).toBeHidden();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');

  await menu.click();
  await expect(nav).toBeVisible();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('button', { name: 'Close the chat list' })).toBeFocused();
  // The page behind is out of reach while the drawer is open.
  await expect(page.locator('main')).toHaveAttribute('inert', '');

  await page.keyboard.press('Escape');
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();
  await expect(page.locator('main')).not.toHaveAttribute('inert');

  // New chat from the drawer closes it; so does opening a conversation.
  await menu.click();
  await nav.getByRole('button', { name: '+ New chat' }).click();
  await expect(nav).toBeHidden();
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await menu.click();
  await nav.getByRole('button', { name: 'First', exact: true }).click();
  await expect(nav).toBeHidden();
  await expect(page.getByTestId('user-text')).toHaveText('First');

  // Widening the window shows the list beside the conversation, with no menu button.
  await page.setViewportSize({ width: 1024, height: 740 });
  await expect(nav).toBeVisible();
  await expect(menu).toBeHidden();
});

test('the composer stays on screen when the on-screen keyboard takes half the height', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openWith(page, { locale: 'zh-HK', script: { tokenDelayMs: 0, answer: wideAnswer } });
  await loadModelAnyLanguage(page);
  await sendAndWait(page, '你好');
  await page.locator('#composer-input').focus();
  // With interactive-widget=resizes-content the keyboard shrinks the layout viewport like this.
  await page.setViewportSize({ width: 360, height: 360 });
  await expect(page.locator('#composer-input')).toBeInViewport();
  await expect(page.getByRole('button', { name: '傳送' })).toBeInViewport();
  await noHorizontalOverflow(page);
  await shoot(page, '360-keyboard-open');
});
