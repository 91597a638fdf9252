/**
 * Long histories open at once: the chat list renders only the rows in view (so Tab must still walk
 * it from the first chat onwards and back), and a long conversation shows its newest messages first,
 * then adds the older ones above them without moving the reader, until all are in the page.
 */
import { expect, test, type Page } from './fixtures';
import type { Conversation } from '../../src/lib/storage/history';
import { liveHistory } from './app-hooks';
import { openApp } from './helpers';

/** Stores `count` conversations of `messages` messages each; the first is the newest. */
async function seed(page: Page, count: number, messages: number): Promise<void> {
  const history = await liveHistory(page);
  await history.evaluate(
    async (state, [count, messages]) => {
      const now = Date.now();
      const conversations: Conversation[] = Array.from({ length: count }, (_, c) => ({
        schemaVersion: 2,
        id: `chat-${c}`,
        title: `Chat number ${c}`,
        createdAt: now - c * 60_000,
        updatedAt: now - c * 60_000,
        messages: Array.from({ length: messages }, (_, m) => ({
          id: `chat-${c}-m${m}`,
          ...(m > 0 ? { parentId: `chat-${c}-m${m - 1}` } : {}),
          role: m % 2 === 0 ? ('user' as const) : ('assistant' as const),
          content: `Message ${m} of chat ${c}: ${'ferries cross the harbour at dusk. '.repeat(6)}`,
          createdAt: now - c * 60_000 + m,
          status: 'done' as const,
        })),
      }));
      await state.importConversations(conversations);
    },
    [count, messages] as const,
  );
}

test('Tab walks a long chat list row by row past what was first rendered, and back', async ({ page }) => {
  await openApp(page);
  await seed(page, 150, 2);
  const nav = page.getByRole('navigation', { name: 'Chats' });
  const rows = nav.getByTestId('conversation');
  await expect(page.getByTestId('conversation-list')).toHaveAttribute('data-total', '150');
  expect(await rows.count()).toBeLessThan(60);

  await nav.getByRole('button', { name: 'Chat number 0', exact: true }).focus();
  // Three stops a row (open, rename, delete): 50 rows down.
  for (let i = 0; i < 150; i++) await page.keyboard.press('Tab');
  const focused = page.locator(':focus');
  await expect(focused).toHaveAccessibleName('Chat number 50');
  await expect(focused).toBeInViewport();
  await expect(nav.getByRole('button', { name: 'Chat number 0', exact: true })).toHaveCount(0);

  for (let i = 0; i < 150; i++) await page.keyboard.press('Shift+Tab');
  await expect(focused).toHaveAccessibleName('Chat number 0');
  await expect(focused).toBeInViewport();
  await expect(rows.first()).toHaveAttribute('aria-posinset', '1');
  await expect(rows.first()).toHaveAttribute('aria-setsize', '150');

  // Scrolled away from, the focused row stays in the page with the focus, and Tab goes on from it.
  await page.getByTestId('conversation-list').evaluate((list) => (list.scrollTop = list.scrollHeight));
  await expect(nav.getByRole('button', { name: 'Chat number 149', exact: true })).toBeInViewport();
  await expect(focused).toHaveAccessibleName('Chat number 0');
  await page.keyboard.press('Tab');
  await expect(focused).toHaveAccessibleName('Rename chat: Chat number 0');
  await expect(focused).toBeInViewport();
});

test('a 200-message conversation opens at its end; the older messages come in above and can be found', async ({
  page,
}) => {
  await openApp(page);
  await seed(page, 2, 200);
  const log = page.getByRole('log', { name: 'Conversation' });
  const messages = page.locator('[data-testid^="message-"]');
  await page.getByRole('button', { name: 'Chat number 1', exact: true }).click();
  await expect(messages.last()).toContainText('Message 199 of chat 1');
  await expect(messages.last()).toBeInViewport();

  // All of them arrive; the log says it is busy until then, and the reader is still at the end.
  await expect(messages).toHaveCount(200);
  await expect(log).toHaveAttribute('aria-busy', 'false');
  await expect(messages.last()).toBeInViewport();
  await expect(page.getByTestId('jump-to-latest')).toHaveCount(0);
  // Find in page (Chromium's window.find, which is not in TypeScript's DOM types) reaches the oldest one.
  const found = await page.evaluate((text) => {
    const find = (window as unknown as { find: (text: string) => boolean }).find;
    return find(text);
  }, 'Message 0 of chat 1:');
  expect(found).toBe(true);

  // Opened again, it starts from its end again.
  await page.getByRole('button', { name: 'Chat number 0', exact: true }).click();
  await expect(messages.last()).toContainText('Message 199 of chat 0');
  await page.getByRole('button', { name: 'Chat number 1', exact: true }).click();
  await expect(messages.last()).toContainText('Message 199 of chat 1');
  await expect(messages).toHaveCount(200);
  await expect(messages.last()).toBeInViewport();
});

test('a chat written here stays whole as it grows: only one opened from storage starts from its end', async ({
  page,
}) => {
  await openApp(page);
  const history = await liveHistory(page);
  const add = (from: number, to: number) =>
    history.evaluate(
      (state, [from, to]) => {
        for (let m = from; m < to; m++) {
          state.add({
            id: `live-${m}`,
            ...(m > 0 ? { parentId: `live-${m - 1}` } : {}),
            role: m % 2 === 0 ? 'user' : 'assistant',
            content: `Live message ${m}`,
            createdAt: Date.now() + m,
            status: 'done',
          });
        }
      },
      [from, to] as const,
    );
  const messages = page.locator('[data-testid^="message-"]');
  await add(0, 10);
  await expect(messages).toHaveCount(10);
  // The first message's element is tagged: were it taken out and put back, the tag would be gone.
  await messages.first().evaluate((element) => element.setAttribute('data-tagged', ''));
  await add(10, 30);
  await expect(messages).toHaveCount(30);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
  await expect(messages.first()).toHaveAttribute('data-tagged', '');
});
