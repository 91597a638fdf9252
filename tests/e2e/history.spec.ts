import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Page } from './fixtures';
import type { StoredMessage } from '../../src/lib/storage/history';
import { liveHistory } from './app-hooks';
import { loadModel, openApp, send } from './helpers';

/** Every key and value in the app's database, as JSON, to compare before and after. */
function dumpDatabase(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('harbour-chat');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('conversations');
          const keys = tx.objectStore('conversations').getAllKeys();
          const values = tx.objectStore('conversations').getAll();
          tx.oncomplete = () => {
            db.close();
            resolve(JSON.stringify([keys.result, values.result]));
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

/** The database once the finished reply's last save is in (the screen says "done" a little before). */
async function settledDatabase(page: Page): Promise<string> {
  const finished = (dump: string) =>
    dump.includes('歡迎使用海港傾偈。') && !dump.includes('"status":"streaming"');
  await expect.poll(async () => finished(await dumpDatabase(page))).toBe(true);
  return dumpDatabase(page);
}

async function downloadText(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
}

function sidebar(page: Page) {
  return page.getByRole('navigation', { name: 'Chats' });
}

async function openMenu(page: Page) {
  const menu = sidebar(page).locator('details.menu');
  if (!(await menu.evaluate((el) => (el as HTMLDetailsElement).open))) {
    await menu.getByText('Export and import').click();
  }
}

async function chatWith(page: Page, first: string, ...more: string[]) {
  await page.getByRole('button', { name: '+ New chat' }).click();
  for (const text of [first, ...more]) {
    await send(page, text);
    await expect(page.getByTestId('message-assistant').last()).toHaveAttribute('data-status', 'done');
  }
}

test('rename, search across titles and message text, date groups, and delete with undo', async ({ page }) => {
  await openApp(page, { tokenDelayMs: 0 });
  await loadModel(page);
  await chatWith(page, 'Ferry timetable', 'What about Sundays?');
  await chatWith(page, 'Tram fares');
  const list = sidebar(page);
  await expect(list.getByRole('heading', { name: 'Today' })).toBeVisible();

  await list.getByRole('button', { name: 'Rename chat: Tram fares' }).click();
  const input = list.getByRole('textbox', { name: 'New name for the chat' });
  await input.fill('Ding ding 叮叮');
  await input.press('Enter');
  await expect(list.getByRole('button', { name: 'Ding ding 叮叮', exact: true })).toBeVisible();

  const search = list.getByRole('searchbox', { name: 'Search chats' });
  await search.fill('sundays'); // only in a message, not in a title
  await expect(list.getByTestId('conversation')).toHaveCount(1);
  await expect(list.getByRole('button', { name: 'Ferry timetable', exact: true })).toBeVisible();
  await search.fill('叮叮');
  await expect(list.getByTestId('conversation')).toHaveCount(1);
  await expect(list.getByRole('button', { name: 'Ding ding 叮叮', exact: true })).toBeVisible();
  await search.fill('no such words anywhere');
  await expect(list.getByText('No chat matches “no such words anywhere”.')).toBeVisible();
  await search.fill('');
  await expect(list.getByTestId('conversation')).toHaveCount(2);

  await list.getByRole('button', { name: 'Delete chat: Ferry timetable' }).click();
  await expect(list.getByRole('button', { name: 'Ferry timetable', exact: true })).toHaveCount(0);
  const toast = page.getByTestId('undo-toast');
  await expect(toast).toContainText('Deleted “Ferry timetable”.');
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(list.getByRole('button', { name: 'Ferry timetable', exact: true })).toBeVisible();

  await page.reload();
  await expect(list.getByRole('button', { name: 'Ferry timetable', exact: true })).toBeVisible();
  await expect(list.getByRole('button', { name: 'Ding ding 叮叮', exact: true })).toBeVisible();
  await list.getByRole('button', { name: 'Ferry timetable', exact: true }).click();
  await expect(page.getByTestId('user-text')).toHaveText(['Ferry timetable', 'What about Sundays?']);
});

test('a reply cut short by a closed tab is kept and marked interrupted', async ({ context }) => {
  const first = await context.newPage();
  await openApp(first, { tokenDelayMs: 200 });
  await loadModel(first);
  await send(first, 'Tell me a long story');
  const reply = first.getByTestId('message-assistant');
  await expect(reply).toHaveAttribute('data-status', 'streaming');
  await expect(reply.getByTestId('thinking')).toContainText('The user said hello');
  // Let the streaming saves store some of the thought, then close mid-answer.
  await expect.poll(async () => (await dumpDatabase(first)).includes('The user said hello')).toBe(true);
  const shown = (await reply.locator('.thought-text').textContent()) ?? '';
  await first.close();

  const second = await context.newPage();
  await openApp(second);
  const kept = second.getByTestId('message-assistant');
  await expect(kept).toHaveAttribute('data-status', 'interrupted');
  await expect(kept.getByTestId('reply-interrupted')).toHaveText(
    'This reply was interrupted: the tab was closed before it finished.',
  );
  const saved = (await kept.locator('.thought-text').textContent()) ?? '';
  expect(saved.length).toBeGreaterThan(10);
  // What was saved is what was on screen (a later flush may have caught a few more words).
  expect(saved.startsWith(shown) || shown.startsWith(saved)).toBe(true);
  // The mark is stored, not only shown.
  await second.reload();
  await expect(second.getByTestId('message-assistant')).toHaveAttribute('data-status', 'interrupted');
});

test('two tabs: each sees the other, writes at the same time lose nothing, one runs the model', async ({
  context,
}) => {
  const a = await context.newPage();
  const b = await context.newPage();
  // One context shares localStorage, so both tabs get the same script.
  await openApp(a, { tokenDelayMs: 100 });
  await openApp(b, { tokenDelayMs: 100 });
  await loadModel(a);

  await b.getByRole('button', { name: /^(Load model|Download and load)/ }).click();
  const busy = b.getByTestId('engine-busy');
  await expect(busy).toContainText('Another Harbour Chat tab is using the model');
  await expect(b.getByTestId('model-ready')).toHaveCount(0);

  await send(a, 'Shared conversation');
  await expect(a.getByTestId('message-assistant')).toHaveAttribute('data-status', 'streaming');
  const id = await (await liveHistory(a)).evaluate((history) => history.conversations[0].id);
  // Both tabs write 40 messages into the conversation A is streaming into, all at once, and B also
  // starts 10 conversations of its own.
  const burst = async (page: Page, prefix: string) =>
    (await liveHistory(page)).evaluate(
      async (history, [conversationId, tag]) => {
        const meta = {
          schemaVersion: 2 as const,
          id: conversationId,
          title: 'Shared conversation',
          createdAt: 0,
          updatedAt: 0,
          messages: [],
        };
        const message = (i: number): StoredMessage => ({
          id: `${tag}-${i}`,
          role: 'user',
          content: `${tag} ${i}`,
          createdAt: Date.now(),
          status: 'done',
        });
        await Promise.all(Array.from({ length: 40 }, (_, i) => history.saveMessage(meta, message(i))));
        if (tag === 'b') {
          await Promise.all(
            Array.from({ length: 10 }, (_, i) =>
              history.saveMessage({ ...meta, id: `b-chat-${i}`, title: `From B ${i}` }, message(100 + i)),
            ),
          );
        }
      },
      [id, prefix] as const,
    );
  await Promise.all([burst(a, 'a'), burst(b, 'b')]);
  await expect(a.getByTestId('message-assistant').first()).toHaveAttribute('data-status', 'done', {
    timeout: 20_000,
  });

  // Each tab lists the other's conversations.
  await expect(sidebar(a).getByTestId('conversation')).toHaveCount(11);
  await expect(sidebar(b).getByTestId('conversation')).toHaveCount(11);
  await expect(sidebar(a).getByRole('button', { name: 'From B 7', exact: true })).toBeVisible();

  // Nothing was dropped: 2 chat messages + 40 from each tab (each a version of the first question:
  // they name no parent), the reply complete.
  await sidebar(b).getByRole('button', { name: 'Shared conversation', exact: true }).click();
  const stored = await (
    await liveHistory(b)
  ).evaluate(async (history, conversationId) => (await history.load(conversationId))?.messages.length, id);
  expect(stored).toBe(82);
  await expect(b.getByTestId('message-user')).toHaveCount(1);
  await expect(b.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  await expect(b.getByTestId('message-assistant').getByTestId('answer')).toContainText('歡迎使用海港傾偈');

  // B's open conversation follows A's changes.
  await sidebar(a).getByRole('button', { name: 'Shared conversation', exact: true }).click();
  await send(a, 'One more from A');
  await expect(b.getByTestId('message-assistant')).toHaveCount(2);
  await expect(b.getByTestId('message-assistant').last()).toHaveAttribute('data-status', 'done');

  // B may wait for the model: it loads when A goes away.
  await busy.getByRole('button', { name: 'Wait for it' }).click();
  await expect(busy).toContainText('Waiting for the other tab');
  await a.close();
  await expect(b.getByTestId('model-ready')).toBeVisible({ timeout: 30_000 });
  await expect(busy).toHaveCount(0);
});

test('import refuses malformed and hostile files and leaves stored data identical', async ({ page }) => {
  await openApp(page, { tokenDelayMs: 0 });
  await loadModel(page);
  await chatWith(page, 'Keep me safe');
  const before = await settledDatabase(page);
  await openMenu(page);
  const picker = page.getByTestId('import-file');
  const report = page.getByTestId('transfer-report');
  const attempt = async (name: string, text: string, message: string | RegExp) => {
    await picker.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(report).toContainText(message);
  };

  await attempt(
    'truncated.json',
    '{"format":"harbour-chat-export","schemaVersion":1,"conv',
    'not JSON, or it is damaged',
  );
  await attempt('random.json', '\u0000\u00ff garbage', 'not JSON');
  await attempt('other.json', '{"hello":"world"}', 'not a Harbour Chat export');
  await attempt(
    'hostile.json',
    '{"format":"harbour-chat-export","schemaVersion":1,"conversations":[{"__proto__":{"polluted":1}}]}',
    'a field named “__proto__”',
  );
  await attempt(
    'half-valid.json',
    JSON.stringify({
      format: 'harbour-chat-export',
      schemaVersion: 1,
      conversations: [
        { schemaVersion: 1, id: 'fine', title: 'Fine', createdAt: 1.7e12, updatedAt: 1.7e12, messages: [] },
        {
          schemaVersion: 1,
          id: 'bad',
          title: 'Bad',
          createdAt: 1.7e12,
          updatedAt: 1.7e12,
          messages: [{ role: 'robot' }],
        },
      ],
    }),
    'conversations[1].messages[0].id is missing or wrong. Nothing was imported.',
  );
  await expect(report).toContainText('Nothing was imported');
  expect(await dumpDatabase(page)).toBe(before);
  expect(await page.evaluate(() => (Object.prototype as Record<string, unknown>).polluted)).toBeUndefined();
  await expect(sidebar(page).getByTestId('conversation')).toHaveCount(1);
});

test('export then import round-trips byte for byte; Markdown is readable; HTML stays text', async ({
  browser,
}) => {
  const source = await browser.newContext();
  const page = await source.newPage();
  await openApp(page, { tokenDelayMs: 0 });
  await loadModel(page);
  await chatWith(page, 'First <img src=x onerror="window.pwned=1"> question', 'And a follow-up');
  await chatWith(page, 'Second chat');
  await openMenu(page);
  const exported = await downloadText(page, () =>
    page.getByRole('button', { name: 'All chats as JSON' }).click(),
  );
  expect(exported.name).toMatch(/^harbour-chat-\d{4}-\d{2}-\d{2}\.json$/);
  expect(JSON.parse(exported.text)).toMatchObject({ format: 'harbour-chat-export', schemaVersion: 2 });
  // The open chat is exported under the name it was just given.
  await sidebar(page).getByRole('button', { name: 'Rename chat: Second chat' }).click();
  await sidebar(page).getByRole('textbox', { name: 'New name for the chat' }).fill('Second chat, renamed');
  await sidebar(page).getByRole('textbox', { name: 'New name for the chat' }).press('Enter');
  const markdown = await downloadText(page, () =>
    page.getByRole('button', { name: 'This chat as Markdown' }).click(),
  );
  expect(markdown.name).toMatch(/^harbour-chat-Second-chat,-renamed-\d{4}-\d{2}-\d{2}\.md$/);
  expect(markdown.text).toContain('# Second chat, renamed');
  expect(markdown.text).toContain('<details>\n<summary>Thought</summary>');
  expect(markdown.text).toContain('## You');
  await source.close();

  const target = await browser.newContext();
  const fresh = await target.newPage();
  await openApp(fresh);
  await openMenu(fresh);
  const file = { name: exported.name, mimeType: 'application/json', buffer: Buffer.from(exported.text) };
  await fresh.getByTestId('import-file').setInputFiles(file);
  await expect(fresh.getByTestId('transfer-report')).toContainText('2 new chats');
  await fresh.getByTestId('import-file').setInputFiles(file);
  await expect(fresh.getByTestId('transfer-report')).toContainText(
    '0 new chats, 0 added as copies beside a different chat with the same id, 2 already here',
  );
  await expect(sidebar(fresh).getByTestId('conversation')).toHaveCount(2);
  const again = await downloadText(fresh, () =>
    fresh.getByRole('button', { name: 'All chats as JSON' }).click(),
  );
  expect(again.text).toBe(exported.text);

  // The HTML in the title and message is shown as text and never runs.
  await sidebar(fresh)
    .getByRole('button', { name: /^First <img/ })
    .click();
  await expect(fresh.getByTestId('user-text').first()).toContainText('<img src=x');
  expect(await fresh.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  await expect(fresh.locator('nav img, .messages img')).toHaveCount(0);
  await target.close();
});

test('the storage panel shows usage and downloaded models, and deleting a model frees its files', async ({
  page,
}) => {
  await openApp(page, { tokenDelayMs: 0, loadMs: 100 });
  await loadModel(page);
  // After the first download the app asks to keep its data, and says why, once, in the page.
  await expect(page.getByTestId('persist-notice')).toContainText(/asks the browser to keep this site’s data/);
  const markerCached = () =>
    page.evaluate(async () => (await caches.open('harbour-scripted')).keys().then((keys) => keys.length));
  expect(await markerCached()).toBe(1);

  await sidebar(page).getByRole('button', { name: 'Storage' }).click();
  const panel = page.getByTestId('storage-panel');
  await expect(panel.getByTestId('storage-usage')).toContainText(/used of .* this site may use/);
  await expect(panel.getByTestId('cached-model')).toHaveCount(1);
  // The loaded model is in use here and cannot be deleted.
  await expect(panel.getByTestId('cached-model')).toContainText('In use');
  await panel.getByRole('button', { name: 'Close' }).click();

  await page.reload();
  await sidebar(page).getByRole('button', { name: 'Storage' }).click();
  const model = panel.getByTestId('cached-model');
  await expect(model).toContainText('Scripted test model');
  await expect(model).toContainText('about 12 MB');
  await model.getByRole('button', { name: 'Delete the files of Scripted test model no weights' }).click();
  await expect(panel.getByText('Deleted the files of Scripted test model no weights.')).toBeVisible();
  await expect(panel.getByTestId('no-models')).toBeVisible();
  expect(await markerCached()).toBe(0);
  await panel.getByRole('button', { name: 'Close' }).click();
  // The model now has to be downloaded again.
  await expect(page.getByRole('button', { name: /^Download and load/ })).toBeVisible();
});

test('with IndexedDB blocked the app still chats and says nothing will be saved', async ({ page }) => {
  await page.addInitScript(() => {
    IDBFactory.prototype.open = function () {
      throw new DOMException('IndexedDB is blocked here', 'InvalidStateError');
    };
  });
  await openApp(page, { tokenDelayMs: 0 });
  await expect(page.getByTestId('not-saving')).toHaveText('Chats are not being saved in this browser.');
  await expect(page.getByRole('alert').filter({ hasText: 'nothing will be kept' })).toBeVisible();
  await loadModel(page);
  await send(page, 'Hello in private');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('message-assistant').getByTestId('answer')).toContainText('歡迎使用海港傾偈');
});

test('a write that fails (full disk) is reported, kept on screen and retried until saved', async ({
  page,
}) => {
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if ((window as unknown as { diskFull?: boolean }).diskFull) {
        throw new DOMException('The disk is full', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
  });
  await openApp(page, { tokenDelayMs: 0 });
  await loadModel(page);
  await page.evaluate(() => ((window as unknown as { diskFull: boolean }).diskFull = true));
  await send(page, 'Written while the disk is full');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  await expect(page.getByRole('alert').filter({ hasText: 'Browser storage is full' })).toBeVisible();
  await expect(page.getByTestId('user-text')).toHaveText('Written while the disk is full');

  await page.evaluate(() => ((window as unknown as { diskFull: boolean }).diskFull = false));
  // The queued write is retried on its own (backoff) and the notice goes away.
  await expect(page.getByRole('alert').filter({ hasText: 'Browser storage is full' })).toHaveCount(0, {
    timeout: 20_000,
  });
  await page.reload();
  await expect(page.getByTestId('user-text')).toHaveText('Written while the disk is full');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('message-assistant').getByTestId('answer')).toContainText('歡迎使用海港傾偈');
});
