/**
 * Reading a conversation: what you send comes into view, a streaming reply is followed only from the
 * bottom (with a way back down), wide tables scroll in their own box, and long titles in the chat
 * list end in "…" without widening it.
 */
import { expect, test } from './fixtures';
import { loadModel, openApp, send } from './helpers';

const longAnswer = Array.from({ length: 30 }, (_, index) => `Line ${index + 1} of a long answer.`).join(
  '\n\n',
);

test('sending scrolls to what was sent; a reply is followed only from the bottom, with "Jump to latest"', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page, { answer: longAnswer, thinking: 'Thinking.', tokenDelayMs: 8 });
  await loadModel(page);
  const list = page.getByRole('log', { name: 'Conversation' });
  const replies = page.getByTestId('message-assistant');
  await send(page, 'First question');
  await expect(replies.first()).toHaveAttribute('data-status', 'done');
  // Left at the bottom, the page followed the reply to its end.
  await expect(replies.first().getByText('Line 30 of a long answer.')).toBeInViewport();
  await expect(page.getByTestId('jump-to-latest')).toHaveCount(0);

  // Scrolled up to the top, the reader sends again: their message comes into view.
  await list.evaluate((element) => (element.scrollTop = 0));
  await expect(page.getByTestId('jump-to-latest')).toBeVisible();
  await send(page, 'Second question');
  await expect(page.getByTestId('message-user').last()).toBeInViewport();
  await expect(page.getByTestId('jump-to-latest')).toHaveCount(0);

  // Scrolling up while it streams: the view stays where the reader put it.
  await expect(replies.last()).toHaveAttribute('data-status', 'streaming');
  await list.evaluate((element) => element.scrollTo({ top: 100 }));
  await expect(page.getByTestId('jump-to-latest')).toBeVisible();
  await expect(replies.last()).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  expect(await list.evaluate((element) => element.scrollTop)).toBe(100);

  await page.getByTestId('jump-to-latest').click();
  await expect(replies.last().getByText('Line 30 of a long answer.')).toBeInViewport();
  await expect(page.getByTestId('jump-to-latest')).toHaveCount(0);
});

test('on a phone, a wide table scrolls in its own box and never breaks a word', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const table = [
    '| Station | Interchange | Neighbourhood | Attraction | Restaurant |',
    '| --- | --- | --- | --- | --- |',
    '| Kowloon | Tsuenwan | Jordan | Harbourfront | Dimsum |',
    '| Admiralty | Island | Wanchai | Convention | Noodles |',
  ].join('\n');
  await openApp(page, { answer: `Here:\n\n${table}`, tokenDelayMs: 0 });
  await loadModel(page);
  await send(page, 'Table please');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  const box = page.locator('.table-scroll');
  await expect(box).toHaveCount(1);
  const sizes = await box.evaluate((element) => ({
    scroll: element.scrollWidth,
    client: element.clientWidth,
  }));
  expect(sizes.scroll).toBeGreaterThan(sizes.client);
  const pageOverflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(pageOverflow).toBeLessThanOrEqual(0);
  // Every cell holds one word, laid out on one line.
  const lines = await page.locator('.table-scroll td, .table-scroll th').evaluateAll((cells) =>
    cells.map((cell) => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
    }),
  );
  expect(
    lines.every((count) => count === 1),
    lines.join(','),
  ).toBe(true);
  await page.screenshot({ path: test.info().outputPath('table-360.png') });
});

test('a long title ends in "…" and the chat list never scrolls sideways', async ({ page }) => {
  await openApp(page, { tokenDelayMs: 0 });
  await loadModel(page);
  await send(
    page,
    'Please plan a very long day out across Kowloon, the islands and the New Territories with my family',
  );
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  const item = page.getByTestId('conversation').first();
  const title = item.locator('button.open');
  const list = page.locator('#sidebar .list');
  const fit = () =>
    list.evaluate((element) => ({
      scroll: element.scrollWidth,
      client: element.clientWidth,
      left: element.scrollLeft,
    }));
  const before = await fit();
  expect(before.scroll).toBeLessThanOrEqual(before.client);
  expect(await title.evaluate((element) => getComputedStyle(element).textOverflow)).toBe('ellipsis');
  expect(await title.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
  // Tab to the rename and delete buttons: nothing shifts.
  await item.getByRole('button', { name: /^Rename chat/ }).focus();
  await item.getByRole('button', { name: /^Delete chat/ }).focus();
  expect((await fit()).left).toBe(0);
  await expect(item.getByRole('button', { name: /^Delete chat/ })).toBeInViewport();
});

test('the answer limit says it counts the thinking, and a reply cut during its thought says so', async ({
  page,
}) => {
  await page.addInitScript(() =>
    localStorage.setItem('harbour-chat:settings', JSON.stringify({ maxTokens: 16 })),
  );
  const thinking = Array.from({ length: 40 }, (_, index) => `step${index}`).join(' ');
  await openApp(page, { thinking, tokenDelayMs: 0 });
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('settings')).toContainText(
    'Counts the model’s thinking as well as its answer',
  );
  await page.getByTestId('settings').getByRole('button', { name: 'Close' }).click();
  await loadModel(page);
  await send(page, 'Think hard');
  const cut = page.getByTestId('message-assistant').getByTestId('reply-cut-off');
  await expect(cut).toContainText('while the model was still thinking, before it answered');
  await expect(page.getByRole('button', { name: 'Continue' })).toBeVisible();
});
