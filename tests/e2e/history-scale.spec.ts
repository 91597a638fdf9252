/**
 * The list at scale: 1,000 conversations of 100 messages each (about 30 MB of text), imported
 * through the app's own import (the file is built in the page), then timed: the list after a reload, a search through every message,
 * and saving one message into a 200-message conversation. Timings are printed for the notes.
 */
import { expect, test } from './fixtures';
import type { Conversation } from '../../src/lib/storage/history';
import { liveHistory } from './app-hooks';
import { openApp } from './helpers';

const CONVERSATIONS = 1000;
const MESSAGES = 100;
const DAY = 24 * 60 * 60 * 1000;

/** Builds the export file in the page, so the test times the app, not the test's file transfer. */
function seedInPage([count, perConversation, day]: readonly [number, number, number]): void {
  const now = Date.now();
  const conversations: Conversation[] = [];
  for (let c = 0; c < count; c++) {
    const start = now - (c % 60) * day - c * 1000;
    const messages = Array.from({ length: perConversation }, (_, m) => {
      const user = m % 2 === 0;
      const words = user
        ? `Question ${m} in chat ${c}: how do the tides at pier ${m} change through the week?`
        : `The user asks about pier ${m}. I should look at the chart for chat ${c} and explain simply.</think>\n\n` +
          `At pier ${m} the tide rises about **${m % 7}.5 m** twice a day. 海港的潮汐每日兩次。`.repeat(3);
      const needle = c === 737 && m === 51 ? ' needle-4242' : '';
      return {
        id: `c${c}-m${m}`,
        ...(m > 0 ? { parentId: `c${c}-m${m - 1}` } : {}),
        role: user ? ('user' as const) : ('assistant' as const),
        content: words + needle,
        createdAt: start + m * 1000,
        status: 'done' as const,
      };
    });
    conversations.push({
      schemaVersion: 2,
      id: `c${c}`,
      title: `Conversation ${c}`,
      createdAt: start,
      updatedAt: start + perConversation * 1000,
      messages,
    });
  }
  const text = JSON.stringify({ format: 'harbour-chat-export', schemaVersion: 2, conversations });
  const input = document.querySelector<HTMLInputElement>('[data-testid="import-file"]');
  if (!input) throw new Error('no import input');
  const files = new DataTransfer();
  files.items.add(new File([text], 'big.json', { type: 'application/json' }));
  (window as unknown as { importStartedAt: number }).importStartedAt = performance.now();
  input.files = files.files;
  input.dispatchEvent(new Event('change', { bubbles: true })); // Svelte delegates change events
}

test('1,000 conversations of 100 messages: list, search and save stay fast', async ({ page }) => {
  test.setTimeout(240_000);
  await page.addInitScript(() => {
    // Records when the list first counts every conversation and shows its first rows, from the start
    // of navigation (it renders only the rows in view).
    const check = () => {
      const list = document.querySelector<HTMLElement>('[data-testid="conversation-list"]');
      if (Number(list?.dataset.total) >= 1000 && list?.querySelector('li')) {
        (window as unknown as { listReadyAt: number }).listReadyAt = performance.now();
      } else {
        requestAnimationFrame(check);
      }
    };
    requestAnimationFrame(check);
  });
  await openApp(page);
  await page.locator('details.menu').getByText('Export and import').click();
  await page.evaluate(seedInPage, [CONVERSATIONS, MESSAGES, DAY] as const);
  await expect(page.getByTestId('transfer-report')).toContainText('1000 new chats', { timeout: 120_000 });
  const importMs = await page.evaluate(
    () => performance.now() - (window as unknown as { importStartedAt: number }).importStartedAt,
  );

  await page.reload();
  const list = page.getByRole('navigation', { name: 'Chats' }).getByTestId('conversation');
  const scroller = page.getByTestId('conversation-list');
  await expect(scroller).toHaveAttribute('data-total', String(CONVERSATIONS), { timeout: 30_000 });
  await expect(list.first()).toBeVisible();
  const listReadyMs = await page.evaluate(() => (window as unknown as { listReadyAt: number }).listReadyAt);
  // Only the rows in view (and a margin) are in the page, each saying its place in its date group.
  expect(await list.count()).toBeLessThan(60);
  await expect(list.first()).toHaveAttribute('aria-posinset', '1');

  // Every chat is reachable by scrolling: a view's worth at a time, from the top to the end.
  const titles = await scroller.evaluate(async (element) => {
    const seen = new Set<string>();
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    for (let top = 0; ; top += element.clientHeight) {
      element.scrollTop = top;
      await frame();
      for (const button of element.querySelectorAll('li button.open')) seen.add(button.textContent.trim());
      if (element.scrollTop + element.clientHeight >= element.scrollHeight - 1) break;
    }
    return [...seen];
  });
  expect(titles).toHaveLength(CONVERSATIONS);
  const last = list.last();
  await expect(last).toBeInViewport();
  expect(await last.getAttribute('aria-posinset')).toBe(await last.getAttribute('aria-setsize'));
  await scroller.evaluate((element) => (element.scrollTop = 0));
  await expect(page.getByRole('heading', { name: 'Today' })).toBeVisible();

  // The same read the list does (summaries), and the one it avoids (every whole conversation).
  const reads = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('harbour-chat');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const time = (prefix: string) =>
      new Promise<number>((resolve) => {
        const started = performance.now();
        const request = db
          .transaction('conversations')
          .objectStore('conversations')
          .getAll(IDBKeyRange.bound(prefix, `${prefix}\uffff`));
        request.onsuccess = () => resolve(performance.now() - started);
      });
    const summaries = await time('summary:');
    const conversations = await time('conversation:');
    db.close();
    return { summaries, conversations };
  });

  // Timed in the page, from the keystroke to the one matching chat alone in the list.
  const searchMs = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const box = document.querySelector<HTMLInputElement>('input[type="search"]');
        if (!box) throw new Error('no search box');
        const started = performance.now();
        box.value = 'needle-4242';
        box.dispatchEvent(new Event('input', { bubbles: true }));
        const check = () => {
          if (document.querySelectorAll('[data-testid="conversation"]').length === 1) {
            resolve(performance.now() - started);
          } else {
            requestAnimationFrame(check);
          }
        };
        requestAnimationFrame(check);
      }),
  );
  await expect(list).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Conversation 737', exact: true })).toBeVisible();

  const save = await (
    await liveHistory(page)
  ).evaluate(async (history) => {
    const conversation = {
      schemaVersion: 2 as const,
      id: 'long-one',
      title: 'Two hundred messages',
      createdAt: Date.now(),
      updatedAt: Date.now(),
      messages: Array.from({ length: 200 }, (_, i) => ({
        id: `long-${i}`,
        ...(i > 0 ? { parentId: `long-${i - 1}` } : {}),
        role: i % 2 ? ('assistant' as const) : ('user' as const),
        content: `Message ${i}: ${'the harbour at dusk, ferries crossing, '.repeat(12)}`,
        createdAt: Date.now() + i,
        status: 'done' as const,
      })),
    };
    await history.importConversations([conversation]);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await history.saveMessage(conversation, {
        id: `extra-${i}`,
        role: 'user',
        content: `One more message, number ${i}.`,
        createdAt: Date.now(),
        status: 'done',
      });
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return { median: times[10], max: times[19] };
  });

  const timings = {
    importMs: Math.round(importMs),
    listReadyFromNavigationMs: Math.round(listReadyMs),
    readAllSummariesMs: Math.round(reads.summaries),
    readAllConversationsMs: Math.round(reads.conversations),
    searchAllMessagesMs: Math.round(searchMs),
    saveOneMessageIn200MedianMs: Math.round(save.median * 10) / 10,
    saveOneMessageIn200MaxMs: Math.round(save.max * 10) / 10,
  };
  console.log('[history timings]', JSON.stringify(timings));
  test.info().annotations.push({ type: 'timings', description: JSON.stringify(timings) });

  expect(listReadyMs).toBeLessThan(10_000);
  expect(save.median).toBeLessThan(250);
});
