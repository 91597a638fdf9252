import { mkdirSync, writeFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from './fixtures';
import { loadModelAnyLanguage, openWith, sendAndWait } from './i18n-helpers';

/** Runs axe-core on the page as it is; fails on serious or critical violations, lists the rest. */
async function audit(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    nodes: v.nodes.length,
    targets: v.nodes.slice(0, 3).map((node) => node.target.join(' ')),
  }));
  const report = JSON.stringify({ screen, passes: results.passes.length, violations: summary }, null, 2);
  await test.info().attach(`axe ${screen}.json`, { body: report, contentType: 'application/json' });
  mkdirSync(test.info().outputDir, { recursive: true });
  writeFileSync(test.info().outputPath(`axe-${screen.replace(/\W+/g, '-')}.json`), report);
  const blocking = summary.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking, `serious or critical axe violations on "${screen}"`).toEqual([]);
}

for (const theme of ['light', 'dark'] as const) {
  test(`axe finds no serious or critical problem on the main screens, ${theme} theme`, async ({ page }) => {
    await openWith(page, { locale: 'en', theme, script: { tokenDelayMs: 0 } });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(page.getByTestId('starters')).toBeVisible();
    await audit(page, `${theme}: model list and starting points`);

    await loadModelAnyLanguage(page);
    await audit(page, `${theme}: ready, empty conversation`);

    await sendAndWait(page, 'Hello there');
    // The reasoning panel open too, so that its text is checked.
    await page.getByTestId('thinking-summary').click();
    await audit(page, `${theme}: conversation with a reply`);

    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
    await audit(page, `${theme}: settings dialog`);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Storage' }).click();
    await expect(page.getByRole('dialog', { name: 'Storage' })).toBeVisible();
    await audit(page, `${theme}: storage dialog`);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: '+ 新對話' }).click();
    await page
      .getByTestId('starters')
      .getByRole('button', { name: /^健康資訊/ })
      .click();
    await expect(page.getByTestId('topic-note')).toBeVisible();
    await audit(page, `${theme}: zh-HK conversation with a health note`);

    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByRole('button', { name: '對話列表' }).click();
    await expect(page.getByRole('navigation')).toBeVisible();
    await audit(page, `${theme}: phone, chat list open`);
  });
}

test('the theme follows the system until the user picks one, which is remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openWith(page, { locale: 'en' });
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await expect(page.locator('html')).not.toHaveAttribute('data-theme');
  expect(await background()).toBe('rgb(16, 21, 28)');

  await page.getByRole('button', { name: 'Settings' }).click();
  const themes = page.getByRole('group', { name: 'Theme' });
  await expect(themes.getByRole('radio', { name: 'Follow the system' })).toBeChecked();
  await themes.getByRole('radio', { name: 'Light' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await background()).toBe('rgb(247, 248, 250)');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name: 'Dark' }).check();
  expect(await background()).toBe('rgb(16, 21, 28)');
  await page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name: 'Follow the system' }).check();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme');
  expect(await background()).toBe('rgb(247, 248, 250)');
});

/** Presses Tab until `selector` has the focus; fails after `max` presses. */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** The focused element shows a focus ring. */
async function expectVisibleFocus(page: Page): Promise<void> {
  const outline = await page.evaluate(() => {
    const style = getComputedStyle(document.activeElement ?? document.body);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  expect(outline.style).not.toBe('none');
  expect(outline.width).toBeGreaterThanOrEqual(2);
}

test('keyboard alone: load, start a chat, stop a reply, open a past conversation', async ({ page }) => {
  await openWith(page, { locale: 'en', script: { tokenDelayMs: 60, loadMs: 300 } });

  // The first Tab stop skips to the message box.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to the message box' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await expectVisibleFocus(page);

  await tabTo(page, 'button.primary:not(.new):not(.card)');
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('model-ready')).toBeVisible();

  await tabTo(page, '#composer-input');
  await page.keyboard.type('First by keyboard');
  await page.keyboard.press('Enter');
  const first = page.getByTestId('message-assistant');
  await expect(first).toHaveAttribute('aria-busy', 'true');
  await expect(first).toHaveAttribute('data-status', 'done');
  await expect(first).toHaveAttribute('aria-busy', 'false');

  await tabTo(page, 'button.new');
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await tabTo(page, '#composer-input');
  await page.keyboard.type('Second by keyboard');
  await page.keyboard.press('Enter');
  const second = page.getByTestId('message-assistant');
  await expect(second).toHaveAttribute('data-status', 'streaming');
  // Stop is the next control after the message box.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Stop' })).toBeFocused();
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter');
  await expect(second).toHaveAttribute('data-status', 'stopped');
  await expect(page.locator('#composer-input')).toBeFocused();

  await tabTo(page, '[data-testid="conversation"] button.open:not([aria-current])');
  await expect(page.locator(':focus')).toHaveText('First by keyboard');
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('user-text')).toHaveText('First by keyboard');
});

test('Escape in the message box stops a streaming reply', async ({ page }) => {
  await openWith(page, { locale: 'en', script: { tokenDelayMs: 80 } });
  await loadModelAnyLanguage(page);
  const box = page.locator('#composer-input');
  await box.fill('Long one');
  await box.press('Enter');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'streaming');
  await box.press('Escape');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'stopped');
});

test('screen readers hear a reply start and end once, not token by token', async ({ page }) => {
  await openWith(page, { locale: 'en', script: { tokenDelayMs: 60 } });
  await loadModelAnyLanguage(page);
  const log = page.getByRole('log', { name: 'Conversation' });
  await expect(log).toHaveAttribute('aria-live', 'off');
  const announcer = page.getByTestId('live-announcer');
  await expect(announcer).toHaveAttribute('aria-live', 'polite');

  const box = page.locator('#composer-input');
  await box.fill('Hello there');
  await box.press('Enter');
  await expect(announcer).toHaveText('Harbour is answering…');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  await expect(announcer).toHaveText('Answer ready: Hello!');

  await box.fill('And again');
  await box.press('Enter');
  await expect(announcer).toHaveText('Harbour is answering…');
  await box.press('Escape');
  await expect(announcer).toHaveText('Answer stopped.');
});

test('with reduced motion, the thinking label does not pulse', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openWith(page, {
    locale: 'en',
    script: { thinking: 'The tide turns twice a day at the pier. '.repeat(60), tokenDelayMs: 40 },
  });
  await loadModelAnyLanguage(page);
  const box = page.locator('#composer-input');
  await box.fill('Think');
  await box.press('Enter');
  // The label pulses while the thought is folded (its words then show nothing): folded here.
  await expect(page.getByTestId('thinking')).toContainText('The tide turns');
  await page.getByTestId('thinking-summary').click();
  const pulse = page.locator('[data-testid="thinking-summary"] .pulse');
  await expect(pulse).toBeVisible();
  expect(await pulse.evaluate((element) => getComputedStyle(element).animationName)).toBe('none');
});

test('the skip link takes the focus straight to the message box', async ({ page }) => {
  await openWith(page, { locale: 'zh-HK' });
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: '跳到訊息輸入框' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#composer-input')).toBeFocused();
});
