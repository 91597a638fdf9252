/**
 * What the user sees is what is stored: a send right after a switch goes to the chat switched to;
 * two tabs writing, renaming and deleting at once lose nothing; while writes fail the text is kept
 * in localStorage, leaving is warned about, and it is written back; an older tab gives way to a
 * database upgrade.
 */
import { expect, test, type Page } from './fixtures';
import type { Conversation } from '../../src/lib/storage/history';
import { liveHistory } from './app-hooks';
import { loadModel, openApp, send } from './helpers';
type Failing = { __failWrites?: boolean };

/** A full disk, switched on and off from the test: every put fails while `__failWrites` is set. */
async function failWritesWhenFlagged(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if ((window as Failing).__failWrites) throw new DOMException('The disk is full', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
}

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Chats' });

/** Every conversation stored, read straight from IndexedDB. */
function storedConversations(page: Page): Promise<Conversation[]> {
  return page.evaluate(
    () =>
      new Promise<Conversation[]>((resolve, reject) => {
        const open = indexedDB.open('harbour-chat');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const request = db.transaction('conversations').objectStore('conversations').getAll();
          request.onsuccess = () => {
            db.close();
            resolve((request.result as Conversation[]).filter((v) => Array.isArray(v.messages)));
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

test('a message sent in the same moment as a switch goes to the chat switched to', async ({ page }) => {
  await openApp(page, { tokenDelayMs: 0 });
  await loadModel(page);
  await send(page, 'Harbour chat X');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  await page.getByRole('button', { name: '+ New chat' }).click();
  await send(page, 'Harbour chat Y');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');

  await page.getByRole('textbox', { name: /^Ask anything/ }).fill('Sent right after switching');
  // One task: click X in the list, then press Enter in the box, before X has been read.
  await page.evaluate(() => {
    const item = [...document.querySelectorAll<HTMLButtonElement>('nav button')].find(
      (button) => button.textContent?.trim() === 'Harbour chat X',
    );
    item?.click();
    document
      .querySelector('#composer-input')
      ?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
  });
  await expect(page.getByTestId('user-text')).toHaveText(['Harbour chat X', 'Sent right after switching']);
  await expect(page.getByTestId('message-assistant').last()).toHaveAttribute('data-status', 'done');
  await expect
    .poll(async () =>
      (await storedConversations(page)).map((c) => [
        c.title,
        c.messages.filter((m) => m.role === 'user').length,
      ]),
    )
    .toEqual(
      expect.arrayContaining([
        ['Harbour chat X', 2],
        ['Harbour chat Y', 1],
      ]),
    );
  await sidebar(page).getByRole('button', { name: 'Harbour chat Y', exact: true }).click();
  await expect(page.getByTestId('user-text')).toHaveText(['Harbour chat Y']);
});

/** One tab's share of the stress run: new chats with a question and an answer, renames, deletes. */
async function churn(page: Page, tag: string, seconds: number) {
  return (await liveHistory(page)).evaluate(
    async (history, [tag, seconds]) => {
      const kept: { id: string; messages: string[]; title: string }[] = [];
      const deleted: string[] = [];
      const end = performance.now() + seconds * 1000;
      // Bounded: at most 300 rounds, however fast the machine.
      for (let i = 0; i < 300 && performance.now() < end; i++) {
        history.startNew();
        const question = history.add({
          id: `${tag}-${i}-q`,
          role: 'user',
          content: `${tag} question ${i}`,
          createdAt: Date.now(),
          status: 'done',
        });
        history.add({
          id: `${tag}-${i}-a`,
          parentId: question.id,
          role: 'assistant',
          content: `${tag} answer ${i}`,
          createdAt: Date.now(),
          status: 'done',
        });
        const id = history.open?.id ?? '';
        await new Promise((resolve) => setTimeout(resolve, 20));
        await history.rename(id, `${tag} chat ${i}`);
        kept.push({ id, messages: [`${tag}-${i}-q`, `${tag}-${i}-a`], title: `${tag} chat ${i}` });
        // Every third round, delete one of this tab's older chats; and rename one of the other tab's.
        if (i % 3 === 2) {
          const gone = kept.splice(kept.length - 2, 1)[0];
          await history.remove(gone.id);
          deleted.push(gone.id);
        }
        const other = history.conversations.find(
          (s) => !s.title.startsWith(tag) && !s.title.startsWith('Sent'),
        );
        if (other && i % 2 === 0) await history.rename(other.id, `${other.title} ·`);
      }
      return { kept, deleted };
    },
    [tag, seconds] as const,
  );
}

test('two tabs writing, renaming and deleting at once for 30 s, twice, lose nothing', async ({ context }) => {
  test.setTimeout(240_000);
  const a = await context.newPage();
  const b = await context.newPage();
  await openApp(a, { tokenDelayMs: 0 });
  await openApp(b, { tokenDelayMs: 0 });
  for (const round of [1, 2]) {
    const [fromA, fromB] = await Promise.all([churn(a, `A${round}`, 30), churn(b, `B${round}`, 30)]);
    await expect
      .poll(
        async () => {
          const stored = new Map((await storedConversations(a)).map((c) => [c.id, c]));
          const missing: string[] = [];
          for (const chat of [...fromA.kept, ...fromB.kept]) {
            const found = stored.get(chat.id);
            for (const id of chat.messages) if (!found?.messages.some((m) => m.id === id)) missing.push(id);
          }
          for (const id of [...fromA.deleted, ...fromB.deleted])
            if (stored.has(id)) missing.push(`deleted ${id}`);
          return missing;
        },
        { timeout: 30_000 },
      )
      .toEqual([]);
    console.log(
      `[two tabs, round ${round}] A kept ${fromA.kept.length} and deleted ${fromA.deleted.length} chats, B kept ${fromB.kept.length} and deleted ${fromB.deleted.length}; nothing lost`,
    );
    expect(fromA.kept.length + fromB.kept.length).toBeGreaterThan(4);
  }
});

test('while writes fail the text is kept aside, leaving is warned about, and it is written back', async ({
  context,
}) => {
  const page = await context.newPage();
  await failWritesWhenFlagged(page);
  await openApp(page, { tokenDelayMs: 20 });
  await loadModel(page);
  await send(page, 'First, while storage works');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  await page.evaluate(() => ((window as Failing).__failWrites = true));
  await send(page, 'Second, while the disk is full');
  await expect(page.getByTestId('message-assistant').last()).toHaveAttribute('data-status', 'done');
  await expect(page.getByRole('alert').filter({ hasText: 'storage is full' })).toBeVisible();
  const aside = await page.evaluate(() => localStorage.getItem('harbour-chat:unsaved') ?? '');
  expect(aside).toContain('Second, while the disk is full');
  expect(aside).toContain('歡迎使用海港傾偈');

  // Leaving now is warned about.
  const dialog = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const warning = await dialog;
  expect(warning.type()).toBe('beforeunload');
  await warning.accept();

  // The next start writes the kept text back.
  const next = await context.newPage();
  await openApp(next, { tokenDelayMs: 20 });
  await expect(next.getByTestId('user-text')).toHaveText([
    'First, while storage works',
    'Second, while the disk is full',
  ]);
  await expect(next.getByTestId('message-assistant').last().getByTestId('answer')).toContainText(
    '歡迎使用海港傾偈',
  );
  expect(await next.evaluate(() => localStorage.getItem('harbour-chat:unsaved'))).toBeNull();
  const stored = await storedConversations(next);
  expect(stored[0].messages).toHaveLength(4);
});

test('writes that fail and then work again are saved soon, and the warning goes', async ({ page }) => {
  await failWritesWhenFlagged(page);
  await openApp(page, { tokenDelayMs: 0 });
  await loadModel(page);
  await page.evaluate(() => ((window as Failing).__failWrites = true));
  await send(page, 'Written once the disk has room');
  await expect(page.getByRole('alert').filter({ hasText: 'storage is full' })).toBeVisible();
  await page.evaluate(() => ((window as Failing).__failWrites = false));
  // No new save is needed: the retry (at most 2 s apart) writes it.
  await expect(page.getByRole('alert').filter({ hasText: 'storage is full' })).toHaveCount(0);
  await expect.poll(async () => (await storedConversations(page))[0]?.messages.length).toBe(2);
});

test('an older tab gives way to a database upgrade and asks its user to reload', async ({ context }) => {
  const older = await context.newPage();
  await openApp(older);
  await expect(older.getByRole('heading', { name: 'Harbour Chat' })).toBeVisible();
  await (await liveHistory(older)).evaluate((history) => history.conversations);
  const newer = await context.newPage();
  await newer.goto('/icons/favicon.svg'); // same origin, without the app
  const version = await newer.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const request = indexedDB.open('harbour-chat', 2);
        request.onupgradeneeded = () => undefined;
        request.onsuccess = () => {
          resolve(request.result.version);
          request.result.close();
        };
        request.onerror = () => reject(request.error);
        // Blocked means the older tab kept its connection open: the upgrade would wait forever.
        request.onblocked = () => reject(new Error('blocked'));
      }),
  );
  expect(version).toBe(2);
  await expect(older.getByRole('alert').filter({ hasText: 'Reload this tab' })).toBeVisible();
});

test('the cost of saving a streaming reply (printed), and every save is complete', async ({ page }) => {
  await openApp(page, { tokenDelayMs: 0 });
  const figures = await (
    await liveHistory(page)
  ).evaluate(async (history) => {
    const filler = 'the harbour at dusk, ferries crossing, '.repeat(12);
    async function measure(id: string, before: number) {
      const messages = Array.from({ length: before }, (_, i) => ({
        id: `${id}-${i}`,
        ...(i > 0 ? { parentId: `${id}-${i - 1}` } : {}),
        role: i % 2 ? ('assistant' as const) : ('user' as const),
        content: `Message ${i}: ${filler}`,
        createdAt: Date.now() + i,
        status: 'done' as const,
      }));
      const conversation = { schemaVersion: 2 as const, id, title: id, createdAt: 1, updatedAt: 1, messages };
      await history.importConversations([conversation]);
      const reply = {
        id: `${id}-reply`,
        parentId: messages.at(-1)?.id,
        role: 'assistant' as const,
        content: '',
        createdAt: Date.now(),
        status: 'streaming' as const,
      };
      const times: number[] = [];
      // A 4,000-character reply saved as it grows, 40 characters (about 10 tokens) at a time.
      for (let step = 1; step <= 100; step++) {
        reply.content = 'x'.repeat(step * 40);
        const started = performance.now();
        await history.saveMessage(conversation, { ...reply });
        times.push(performance.now() - started);
      }
      await history.saveMessage(conversation, { ...reply, status: 'done' });
      const stored = await history.load(id);
      times.sort((x, y) => x - y);
      const round = (ms: number) => Math.round(ms * 10) / 10;
      return {
        messagesBefore: before,
        medianMs: round(times[50]),
        p90Ms: round(times[90]),
        maxMs: round(times[99]),
        storedChars: stored?.messages.at(-1)?.content.length,
      };
    }
    return [await measure('save-cost-small', 2), await measure('save-cost-large', 200)];
  });
  console.log('[save cost, one write of a growing reply]', JSON.stringify(figures));
  for (const figure of figures) expect(figure.storedChars).toBe(4000);
});
