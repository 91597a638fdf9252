/**
 * Huge replies (issue 19, item 6): a model in a loop, or a base64 blob, writes any of these shapes.
 * Each is imported as a stored conversation (through the app's own import, built in the page), then
 * opened from the list; the page's long tasks from the click until the reply is fully rendered are
 * PRINTED (PerformanceObserver "longtask"): the machine is shared and noisy, so no time is asserted.
 * What is asserted is deterministic: all of the content is there, and past the limits highlighting
 * is skipped.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cutLongTokens, scriptTokens } from '../../workers/runtimes/scripted-reply';
import { expect, test, type Page } from './fixtures';
import { loadModel, openApp, send } from './helpers';

/** A streamed shape comes a few characters a token, over about this many seconds. */
const STREAM_TOKEN_CHARS = 6;
const STREAM_SECONDS = 12;

interface Shape {
  name: string;
  reply: () => string;
  check: (page: Page, reply: string) => Promise<void>;
}

const answer = (page: Page) => page.getByTestId('message-assistant').getByTestId('answer');

/** A pipe table of `rows` rows and three columns. */
const tideTable = (rows: number) =>
  `| row | pier | tide |\n| --- | --- | ---: |\n${Array.from(
    { length: rows },
    (_, i) => `| ${i} | Pier ${i % 9} | ${(i % 30) / 10} m |`,
  ).join('\n')}\n`;

/** A JavaScript code block of `lines` lines. */
const tideCode = (lines: number) =>
  `\`\`\`javascript\n${Array.from({ length: lines }, (_, i) => `const tide${i} = compute(${i}); // pier`).join('\n')}\n\`\`\`\n`;

const SHAPES: Shape[] = [
  {
    name: '40,000 unbroken characters',
    reply: () => 'QmFzZTY0'.repeat(5_000),
    check: async (page) => {
      const text = await answer(page).textContent();
      expect(text?.trim().length).toBe(40_000);
      // Wrapped inside the message: the page does not scroll sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    },
  },
  {
    name: 'a 2,000-row table',
    reply: () => tideTable(2_000),
    check: async (page) => {
      await expect(answer(page).locator('tbody tr')).toHaveCount(2_000);
    },
  },
  {
    name: 'a 10,000-line JavaScript block',
    reply: () => tideCode(10_000),
    check: async (page) => {
      const code = answer(page).locator('pre code');
      await expect(code).toHaveCount(1);
      // Past the highlighting limit the code is plain text, in pieces of lines laid out near the
      // screen only; each piece is a block that ends its last line.
      await expect(code.locator('span:not(.code-lines)')).toHaveCount(0);
      const lines = await code.evaluate((element) =>
        Array.from(element.querySelectorAll(':scope > .code-lines'), (piece) => piece.textContent).join('\n'),
      );
      expect(lines.split('\n')).toHaveLength(10_000);
      expect(lines.endsWith('\nconst tide9999 = compute(9999); // pier')).toBe(true);
      // Copy takes every line, the pieces never laid out included (innerText leaves those out).
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await answer(page).getByRole('button', { name: 'Copy', exact: true }).click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(lines);
    },
  },
  // Under the 40,000 characters past which any reply is rendered in steps, but as costly: elements
  // and highlighting, not characters, are what a render costs (limits.ts renderCostMs). Rendered
  // in one task, these were 256 and 305 ms.
  {
    name: 'a 1,300-row table (34 KB)',
    reply: () => tideTable(1_300),
    check: async (page) => {
      await expect(answer(page).locator('tbody tr')).toHaveCount(1_300);
    },
  },
  {
    name: 'a 300-line JavaScript block, highlighted',
    reply: () => tideCode(300),
    check: async (page) => {
      const code = answer(page).locator('pre code');
      await expect(code.locator('.hljs-keyword')).toHaveCount(300);
      expect((await code.textContent())?.split('\n')).toHaveLength(300);
    },
  },
  {
    name: '500 display formulas',
    reply: () =>
      Array.from({ length: 500 }, (_, i) => `$$\n\\int_0^{${i}} x^2 \\, dx = \\frac{${i}^3}{3}\n$$`).join(
        '\n\n',
      ),
    check: async (page) => {
      await expect(answer(page).locator('.katex-display')).toHaveCount(500);
    },
  },
  {
    name: '1 MB of markdown',
    reply: () => {
      const section = (i: number) =>
        `## Section ${i}\n\nThe tide at **pier ${i}** rises twice a day; see [the chart](https://example.com/${i}).\n\n` +
        `- first item ${i}\n- second item with \`code ${i}\`\n\n> A quote about the harbour ${i}.\n\n`;
      const parts: string[] = [];
      let length = 0;
      for (let i = 0; length < 990_000 - 300; i++) {
        parts.push(section(i));
        length += parts[i].length;
      }
      return parts.join('');
    },
    check: async (page, reply) => {
      await expect(answer(page).locator('h2')).toHaveCount(reply.split('## Section ').length - 1);
    },
  },
];

/** Imports two conversations: the huge one, and a newer small one that the app opens at start. */
async function importHuge(page: Page, reply: string): Promise<void> {
  await page.locator('details.menu').getByText('Export and import').click();
  await page.evaluate((content) => {
    const at = Date.now() - 60_000;
    const conversation = (id: string, title: string, text: string, when: number) => ({
      id,
      title,
      createdAt: when,
      updatedAt: when + 1,
      messages: [
        { id: `${id}-q`, role: 'user', content: 'Show me', createdAt: when, status: 'done' },
        {
          id: `${id}-a`,
          parentId: `${id}-q`,
          role: 'assistant',
          content: text,
          createdAt: when + 1,
          status: 'done',
        },
      ],
      schemaVersion: 2,
    });
    const file = JSON.stringify({
      format: 'harbour-chat-export',
      schemaVersion: 2,
      conversations: [
        conversation('huge', 'The huge reply', content, at),
        conversation('small', 'A small chat', 'Hello.', at + 10_000),
      ],
    });
    const input = document.querySelector<HTMLInputElement>('[data-testid="import-file"]');
    if (!input) throw new Error('no import input');
    const files = new DataTransfer();
    files.items.add(new File([file], 'huge.json', { type: 'application/json' }));
    input.files = files.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, reply);
  await expect(page.getByTestId('transfer-report')).toContainText('2 new chats', { timeout: 60_000 });
}

// Playwright's trace (retain-on-failure) snapshots the whole DOM in the page around every action:
// on these pages each snapshot is a long task of its own, which the count below would take for the app's.
test.use({ trace: 'off' });

interface LongTask {
  start: number;
  duration: number;
}

/** Added as an init script: every long task of the page, from its start, in `window.__longTasks`. */
function recordLongTasks(): void {
  const tasks: { start: number; duration: number }[] = [];
  Object.assign(window, { __longTasks: tasks });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/** The page's long tasks that started at or after `from` (page time). */
function longTasksSince(page: Page, from: number): Promise<LongTask[]> {
  return page.evaluate(
    (since) =>
      (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter(
        (task) => task.start >= since,
      ),
    from,
  );
}

/** HUGE_TRACE_DIR keeps a Chromium trace of each test (DevTools, Performance panel: load profile). */
const TRACE_DIR = process.env.HUGE_TRACE_DIR;

async function startTrace(page: Page): Promise<void> {
  const browser = page.context().browser();
  if (TRACE_DIR && browser)
    await browser.startTracing(page, { categories: ['devtools.timeline', 'toplevel', 'v8'] });
}

async function stopTrace(page: Page, name: string): Promise<void> {
  const browser = page.context().browser();
  if (!TRACE_DIR || !browser) return;
  mkdirSync(TRACE_DIR, { recursive: true });
  writeFileSync(join(TRACE_DIR, `${name.replace(/\W+/g, '-')}.json`), await browser.stopTracing());
}

/** "longest …, N over 50 ms (… ms)" for a run of long tasks. */
function describeTasks(tasks: readonly LongTask[]): string {
  const longest = Math.max(0, ...tasks.map((task) => task.duration));
  const busy = tasks.reduce((sum, task) => sum + task.duration, 0);
  return `longest ${longest.toFixed(0)} ms, ${tasks.length} over 50 ms (${busy.toFixed(0)} ms)`;
}

/**
 * Waits until the reply is done and rendered in full, then a second more (late tasks are counted).
 * Waited for with the browser's own querySelector: a locator's polling walks the whole DOM in
 * script (hundreds of ms per poll on a 2,000-row table), which would be counted as the app's.
 */
async function renderedInFull(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector(
        '[data-testid="message-assistant"][data-status="done"]:not([data-pending]) .markdown:not([data-pending])',
      ) !== null,
    undefined,
    { timeout, polling: 250 },
  );
  await page.waitForTimeout(1_000);
}

for (const shape of SHAPES) {
  test(`opening ${shape.name} shows all of it without a long freeze (longest task printed)`, async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const reply = shape.reply();
    await page.addInitScript(recordLongTasks);
    await openApp(page);
    await importHuge(page, reply);
    await page.reload();
    await expect(page.getByRole('button', { name: 'A small chat', exact: true })).toBeVisible();
    await expect(page.getByTestId('message-assistant')).toHaveCount(1);
    // Let the start settle, then open the huge one and time from the click.
    await page.waitForTimeout(1_000);
    await startTrace(page);
    const clickedAt = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: 'The huge reply', exact: true }).click();
    await renderedInFull(page, 120_000);
    await stopTrace(page, `opening ${shape.name}`);
    const tasks = await longTasksSince(page, clickedAt);
    console.log(`huge reply, ${shape.name}: ${describeTasks(tasks)}`);
    await shape.check(page, reply);
  });
}

// The same shapes STREAMED by the scripted model (a few characters a token, at a pace that takes
// some seconds): the longest task while it streams and at its end is printed. Time is not asserted
// (the machine is shared); all of the content shown and the rendering finished are.
for (const shape of SHAPES) {
  test(`streaming ${shape.name} shows all of it (longest task while streaming and at the end printed)`, async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const reply = shape.reply();
    const tokens = cutLongTokens(scriptTokens(reply), STREAM_TOKEN_CHARS).length;
    await page.addInitScript(recordLongTasks);
    await page.addInitScript(() => {
      const seen: { doneAt?: number } = {};
      Object.assign(window, { __reply: seen });
      // When the reply says it is done: tasks before are the stream's, after are its end's.
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="message-assistant"][data-status="done"]'))
          seen.doneAt ??= performance.now();
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-status'] });
    });
    await openApp(page, {
      thinking: 'The user wants it all.',
      answer: reply,
      tokenChars: STREAM_TOKEN_CHARS,
      tokenDelayMs: 0,
      tokensPerSecond: Math.max(1_000, Math.ceil(tokens / STREAM_SECONDS)),
      loadMs: 0,
    });
    await loadModel(page);
    await startTrace(page);
    const sentAt = await page.evaluate(() => performance.now());
    await send(page, 'Show me');
    await renderedInFull(page, 200_000);
    await stopTrace(page, `streaming ${shape.name}`);
    const tasks = await longTasksSince(page, sentAt);
    const doneAt = await page.evaluate(
      () => (window as unknown as { __reply: { doneAt?: number } }).__reply.doneAt ?? Infinity,
    );
    console.log(
      `streaming ${shape.name} (${tokens.toLocaleString('en-GB')} tokens): while streaming ` +
        `${describeTasks(tasks.filter((task) => task.start < doneAt))}; at the end ${describeTasks(tasks.filter((task) => task.start >= doneAt))}`,
    );
    await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
    await expect(answer(page).locator('.open-plain')).toHaveCount(0);
    await shape.check(page, reply);
  });
}
