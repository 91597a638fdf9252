/**
 * Data the app did not write itself, at each boundary it crosses: an import file that reuses a stored
 * chat's id or claims an impossible date, records in IndexedDB damaged by something else, messages
 * on the history channel from another page of the origin, another site framing the app, and an
 * origin shared with other GitHub Pages sites. None of them may change a stored chat or throw.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Page } from './fixtures';
import type { Conversation } from '../../src/lib/storage/history';
import { loadModel, openApp, send } from './helpers';

const APP_PORT = Number(process.env.PW_APP_PORT ?? 4173);
const OTHER_ORIGIN = `http://127.0.0.1:${Number(process.env.PW_MODEL_PORT ?? APP_PORT + 1)}`;

const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Chats' });

/** Reads (or, with `put`, writes) records of the app's database straight from IndexedDB. */
function database(page: Page, put?: Record<string, unknown>): Promise<Record<string, unknown>> {
  return page.evaluate(
    (records) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const open = indexedDB.open('harbour-chat');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('conversations', 'readwrite');
          const store = tx.objectStore('conversations');
          for (const [key, value] of Object.entries(records ?? {})) store.put(value, key);
          const keys = store.getAllKeys();
          const values = store.getAll();
          tx.oncomplete = () => {
            db.close();
            resolve(Object.fromEntries(keys.result.map((key, i) => [String(key), values.result[i]])));
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    put,
  );
}

async function firstChat(page: Page, text: string): Promise<Conversation> {
  await openApp(page, { tokenDelayMs: 0 });
  await loadModel(page);
  await send(page, text);
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  const stored = Object.values(await database(page)).find(
    (value): value is Conversation => (value as Conversation).messages !== undefined,
  );
  if (!stored) throw new Error('the chat was not stored');
  // As an export writes it: the stats' in-memory-only field is not part of the file format.
  const messages = stored.messages.map((m) => {
    if (!m.stats) return m;
    const stats = { ...m.stats };
    delete stats.prefilledTokens;
    return { ...m, stats };
  });
  return { ...stored, messages };
}

async function importFile(page: Page, conversations: unknown[]): Promise<void> {
  const menu = sidebar(page).locator('details.menu');
  if (!(await menu.evaluate((el) => (el as HTMLDetailsElement).open))) {
    await menu.getByText('Export and import').click();
  }
  const text = JSON.stringify({ format: 'harbour-chat-export', schemaVersion: 2, conversations });
  await page
    .getByTestId('import-file')
    .setInputFiles({ name: 'chats.json', mimeType: 'application/json', buffer: Buffer.from(text) });
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<string> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFile(await download.path(), 'utf8');
}

const summaryOf = (c: Conversation) => ({
  schemaVersion: 2,
  id: c.id,
  title: c.title,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
  messageCount: c.messages.length,
});

test('an import that reuses a stored chat’s id plants nothing in it: it becomes a marked copy', async ({
  page,
}) => {
  const stored = await firstChat(page, 'Harbour ferries tonight');
  const before = await database(page);
  const [question, answer] = stored.messages;
  const planted: Conversation = {
    ...stored,
    messages: [
      question,
      // Dated between the real turns, so a merge by time would have slipped it in as "You".
      {
        id: 'planted',
        parentId: question.id,
        role: 'user',
        content: 'PLANTED TURN',
        createdAt: question.createdAt + 1,
        status: 'done',
      },
      answer,
    ],
  };
  await importFile(page, [planted]);
  await expect(page.getByTestId('transfer-report')).toContainText(
    '0 new chats, 1 added as copies beside a different chat with the same id, 0 already here',
  );
  const after = await database(page);
  expect(after[`conversation:${stored.id}`]).toEqual(before[`conversation:${stored.id}`]);
  await expect(page.getByTestId('user-text')).toHaveText(['Harbour ferries tonight']);
  await expect(sidebar(page).getByTestId('conversation')).toHaveCount(2);
  await sidebar(page)
    .getByRole('button', { name: /^Harbour ferries tonight \(imported copy\)/ })
    .click();
  await expect(page.getByTestId('user-text').first()).toHaveText('Harbour ferries tonight');

  // The same file again is a copy again (it differs from the stored chat); the stored file itself is a duplicate.
  await importFile(page, [stored]);
  await expect(page.getByTestId('transfer-report')).toContainText('0 new chats, 0 added as copies');
  await expect(page.getByTestId('transfer-report')).toContainText('1 already here');
});

test('a date of 1e308 is refused on import, and a stored one never breaks the Markdown export', async ({
  page,
}) => {
  const stored = await firstChat(page, 'Tides at Lei Yue Mun');
  await importFile(page, [{ ...stored, id: 'far-future', createdAt: 1e308 }]);
  await expect(page.getByTestId('transfer-report')).toContainText(
    'conversations[0].createdAt is missing or wrong. Nothing was imported.',
  );
  // Written by something else, straight into the database.
  const strange = { ...stored, id: 'strange-date', title: 'Strange date', createdAt: 1e308 };
  await database(page, {
    'conversation:strange-date': strange,
    'summary:strange-date': { ...summaryOf(stored), id: 'strange-date', title: 'Strange date' },
  });
  await page.reload();
  await expect(sidebar(page).getByTestId('conversation')).toHaveCount(2);
  const markdown = await downloaded(page, async () => {
    const menu = sidebar(page).locator('details.menu');
    await menu.getByText('Export and import').click();
    await page.getByRole('button', { name: 'All chats as Markdown' }).click();
  });
  expect(markdown).toContain('# Tides at Lei Yue Mun');
  expect(markdown).not.toContain('Strange date');
  await expect(page.getByTestId('damaged-notice')).toContainText('could not be read: 1');
});

test('damaged records are skipped and reported once, with an export of what can be read', async ({
  page,
}) => {
  const stored = await firstChat(page, 'Dim sum near Central');
  const [question, answer] = stored.messages;
  const nullMessage = { ...stored, id: 'null-message', title: 'Null message', messages: [question, null] };
  const wrongStats = {
    ...stored,
    id: 'wrong-stats',
    title: 'Wrong stats',
    messages: [question, { ...answer, stats: { promptTokens: 'many', finishReason: 7 }, thoughtMs: 'long' }],
  };
  await database(page, {
    'conversation:null-message': nullMessage,
    'summary:null-message': { ...summaryOf(stored), id: 'null-message', title: 'Null message' },
    'conversation:wrong-stats': wrongStats,
    'summary:wrong-stats': { ...summaryOf(stored), id: 'wrong-stats', title: 'Wrong stats' },
    'summary:bad-summary': { schemaVersion: 2, id: 'bad-summary', title: null, updatedAt: 'soon' },
  });
  await page.reload();
  await expect(sidebar(page).getByTestId('conversation')).toHaveCount(3);

  // Wrong-typed stats are dropped: the chat opens, its answer shows, without figures.
  await sidebar(page)
    .getByRole('button', { name: /^Wrong stats/ })
    .click();
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('reply-stats')).toHaveCount(0);

  await sidebar(page)
    .getByRole('button', { name: /^Null message/ })
    .click();
  const notice = page.getByTestId('damaged-notice');
  await expect(notice).toContainText('Saved chats that could not be read: 1.');
  const exported = await downloaded(page, () =>
    notice.getByRole('button', { name: 'Export readable chats (JSON)' }).click(),
  );
  const ids = (JSON.parse(exported) as { conversations: Conversation[] }).conversations
    .map((c) => c.id)
    .sort();
  expect(ids).toEqual([stored.id, 'wrong-stats'].sort());
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  // Reported once: opening it again says nothing new. And it is stored exactly as it was.
  await sidebar(page)
    .getByRole('button', { name: /^Dim sum near Central/ })
    .click();
  await sidebar(page)
    .getByRole('button', { name: /^Null message/ })
    .click();
  await expect(page.getByTestId('user-text')).toHaveCount(0);
  await expect(notice).toHaveCount(0);
  expect((await database(page))['conversation:null-message']).toEqual(nullMessage);
});

test('channel messages only prompt a re-read: malformed ones are ignored, a forged "deleted" hides nothing', async ({
  page,
}) => {
  const stored = await firstChat(page, 'Typhoon signal today');
  const later = { ...stored, id: 'written-elsewhere', title: 'Written elsewhere', updatedAt: Date.now() };
  await database(page, {
    'conversation:written-elsewhere': later,
    'summary:written-elsewhere': summaryOf(later),
  });
  await page.evaluate((id) => {
    const channel = new BroadcastChannel('harbour-chat-history');
    for (const message of [null, 5, 'deleted', [], { kind: 'saved' }, { kind: 'saved', id: { length: 1 } }]) {
      channel.postMessage(message);
    }
    channel.postMessage({ kind: 'deleted', id });
    // Handled after the ones above: once its chat is listed, they have been handled too.
    channel.postMessage({ kind: 'many' });
    channel.close();
  }, stored.id);
  await expect(sidebar(page).getByRole('button', { name: /^Written elsewhere/ })).toBeVisible();
  await expect(sidebar(page).getByTestId('conversation')).toHaveCount(2);
  await expect(sidebar(page).getByRole('button', { name: /^Typhoon signal today/ })).toBeVisible();
  await expect(page.getByTestId('user-text')).toHaveText(['Typhoon signal today']);
});

test('framed by another site, the app does not start: it says so and links to itself', async ({ page }) => {
  const app = `http://localhost:${APP_PORT}/`;
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  // Served by the stand-in model host: a real page of another origin (a routed one would be refused
  // by Chromium's local network access checks before it could frame a localhost page).
  await page.goto(`${OTHER_ORIGIN}/framing-page.html?src=${encodeURIComponent(app)}`);
  const frame = page.frameLocator('iframe');
  await expect(frame.getByTestId('framed-refusal')).toContainText(
    'Harbour Chat does not run inside another website',
  );
  await expect(frame.getByTestId('framed-refusal')).toContainText('海港傾偈唔會喺其他網站入面運行');
  const link = frame.getByRole('link', { name: 'Open Harbour Chat' });
  await expect(link).toHaveAttribute('href', app);
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(frame.getByRole('textbox', { name: /^Ask anything/ })).toHaveCount(0);
  // Nothing of the app ran. index.html preloads its code (fetched and compiled, never evaluated), so
  // the sign is what the app requests only as it runs: its update check and (test builds) its hooks.
  const ranApp = () => requested.filter((url) => /\/assets\/(workbox-window\.|test-hooks-)/.test(url));
  expect(requested.some((url) => url.startsWith(app) && /\/assets\/index-/.test(url))).toBe(true);
  expect(ranApp()).toEqual([]);

  // The same address opened on its own is the app.
  await page.goto(app);
  await expect(page.getByRole('textbox', { name: /^Ask anything/ })).toBeVisible();
  // The same signs, once the app runs.
  await expect.poll(() => ranApp().length).toBe(2);
});

test.describe('on a shared github.io origin', () => {
  test.use({ serviceWorkers: 'block' });

  test('the Storage panel says the origin is shared; on its own origin it says nothing', async ({ page }) => {
    await openApp(page);
    await sidebar(page).getByRole('button', { name: 'Storage' }).click();
    await expect(page.getByTestId('storage-panel')).toBeVisible();
    await expect(page.getByTestId('shared-origin')).toHaveCount(0);

    // The same build, as if published at https://someone.github.io/harbour-chat/.
    await page.route('https://someone.github.io/**', async (route) => {
      const path = new URL(route.request().url()).pathname.replace(/^\/harbour-chat\//, '/');
      await route.fulfill({ response: await route.fetch({ url: `http://localhost:${APP_PORT}${path}` }) });
    });
    await page.goto('https://someone.github.io/harbour-chat/');
    await sidebar(page).getByRole('button', { name: 'Storage' }).click();
    await expect(page.getByTestId('shared-origin')).toContainText(
      'This copy of Harbour Chat is served from https://someone.github.io',
    );
  });
});
