/**
 * History at scale: the app's IndexedDB is seeded through the app's own storage module (from the
 * bench page bench/pages/history.html, same origin), then the app is opened again and again and
 * timed until the list shows every conversation; then a 200-message conversation is opened from the
 * list, and single messages are saved into it.
 */
import { test, type BrowserContext } from '@playwright/test';
import { writePart } from '../lib/parts';
import { installLoadProbe, type LoadProbeResult } from '../lib/load-probe';
import { appUrl, freshContext, launchChromium } from '../lib/setup';
import { spread, type Spread } from '../lib/stats';

const CONVERSATIONS = 1000;
const TURNS = 4;
const LONG_MESSAGES = 200;
const OPEN_REPEATS = Number(process.env.BENCH_HISTORY_REPEATS ?? 5);
const SAVE_REPEATS = 15;

export interface HistoryPart {
  conversations: number;
  messagesEach: number;
  longMessages: number;
  seedMs: number;
  /** Navigation start to the list counting every conversation (plus the long one) and showing its first rows. */
  listMs: Spread | undefined;
  /** Navigation start to the page being usable, with that history. */
  interactiveMs: Spread | undefined;
  /** Click in the list to its newest messages shown, at its end (older ones are added after). */
  shownLongMs: Spread | undefined;
  /**
   * Click in the list to all 200 messages in the page with their text (the last few rendered as
   * markdown, older ones as plain text until the render queue reaches them; find-in-page finds both).
   */
  openLongMs: Spread | undefined;
  /** Click in the list to every one of the 200 messages rendered as markdown. */
  renderLongMs: Spread | undefined;
  /** One `upsertMessage` into the 200-message conversation (what every save of a reply does). */
  saveMs: Spread | undefined;
  runs: {
    list: number[];
    interactive: number[];
    shownLong: number[];
    openLong: number[];
    renderLong: number[];
    save: number[];
  };
}

async function openAppTimed(context: BrowserContext, longTitle?: string): Promise<LoadProbeResult> {
  const page = await context.newPage();
  try {
    await page.addInitScript(installLoadProbe, {
      listItems: CONVERSATIONS + 1,
      openedMessages: longTitle ? LONG_MESSAGES : undefined,
    });
    await page.addInitScript(() => localStorage.setItem('harbour-chat:locale', 'en'));
    await page.goto('/');
    await page.waitForFunction(() => window.__harbourLoadProbe?.listAt !== undefined, undefined, {
      timeout: 60_000,
    });
    if (longTitle) {
      // The long one is the oldest: the end of the list, which renders only the rows in view.
      await page.getByTestId('conversation-list').evaluate((list) => (list.scrollTop = list.scrollHeight));
      await page.getByRole('navigation').getByRole('button', { name: longTitle, exact: true }).click();
      await page.waitForFunction(() => window.__harbourLoadProbe?.renderedAt !== undefined, undefined, {
        timeout: 60_000,
      });
    }
    return await page.evaluate(() => window.__harbourLoadProbe ?? {});
  } finally {
    await page.close();
  }
}

test('history at scale', async () => {
  test.setTimeout(10 * 60_000);
  const browser = await launchChromium(false);
  try {
    const context = await freshContext(browser, appUrl);
    const bench = await context.newPage();
    await bench.goto('/bench/history.html');
    await bench.waitForFunction(() => window.historyBench !== undefined);
    const seedMs = await bench.evaluate(([count, turns]) => window.historyBench?.seed(count, turns), [
      CONVERSATIONS,
      TURNS,
    ] as const);
    const long = await bench.evaluate((messages) => window.historyBench?.seedLong(messages), LONG_MESSAGES);
    if (seedMs === undefined || !long) throw new Error('The history bench page did not start');

    const runs: HistoryPart['runs'] = {
      list: [],
      interactive: [],
      shownLong: [],
      openLong: [],
      renderLong: [],
      save: [],
    };
    for (let repeat = 0; repeat < OPEN_REPEATS; repeat++) {
      const opened = await openAppTimed(context, long.title);
      runs.list.push(opened.listAt ?? Number.NaN);
      runs.interactive.push(opened.interactiveAt ?? Number.NaN);
      if (opened.shownAt !== undefined && opened.clickedAt !== undefined) {
        runs.shownLong.push(opened.shownAt - opened.clickedAt);
      }
      if (opened.openedAt !== undefined && opened.clickedAt !== undefined) {
        runs.openLong.push(opened.openedAt - opened.clickedAt);
      }
      if (opened.renderedAt !== undefined && opened.clickedAt !== undefined) {
        runs.renderLong.push(opened.renderedAt - opened.clickedAt);
      }
      console.log(
        `history: list of ${CONVERSATIONS + 1} at ${opened.listAt?.toFixed(0)} ms, ` +
          `newest shown in ${((opened.shownAt ?? 0) - (opened.clickedAt ?? 0)).toFixed(0)} ms, ` +
          `200 messages in ${((opened.openedAt ?? 0) - (opened.clickedAt ?? 0)).toFixed(0)} ms, ` +
          `all rendered in ${((opened.renderedAt ?? 0) - (opened.clickedAt ?? 0)).toFixed(0)} ms`,
      );
    }
    runs.save =
      (await bench.evaluate(([id, repeats]) => window.historyBench?.timeSaves(id, repeats), [
        long.id,
        SAVE_REPEATS,
      ] as const)) ?? [];
    console.log(
      `history: save into ${LONG_MESSAGES} messages, median ${spread(runs.save)?.median.toFixed(1)} ms`,
    );
    const part: HistoryPart = {
      conversations: CONVERSATIONS,
      messagesEach: TURNS * 2,
      longMessages: LONG_MESSAGES,
      seedMs,
      listMs: spread(runs.list),
      interactiveMs: spread(runs.interactive),
      shownLongMs: spread(runs.shownLong),
      openLongMs: spread(runs.openLong),
      renderLongMs: spread(runs.renderLong),
      saveMs: spread(runs.save),
      runs,
    };
    writePart('history', part);
  } finally {
    await browser.close();
  }
});
