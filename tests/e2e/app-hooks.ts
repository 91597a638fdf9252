/**
 * The tests' side of the test build's app hooks (src/test-hooks.ts): the live HistoryState and the
 * engine bridge's generate, for checks that go below the UI. Specs reach them only through here. The
 * hooks are registered once the app has mounted, so each helper waits for them.
 */
import type { JSHandle, Page } from '@playwright/test';
import type { AppHooks } from '../../src/test-hooks';

/** Polled by interval, not by animation frame: a tab in the background may not paint. */
const POLLING = { polling: 50 };

/** The page's live HistoryState: `.evaluate((history, arg) => ..., arg)` runs on it in the page. */
export async function liveHistory(page: Page): Promise<JSHandle<AppHooks['history']>> {
  const handle = await page.waitForFunction(() => window.__harbourApp?.history, undefined, POLLING);
  return handle as JSHandle<AppHooks['history']>;
}

/** The page's engine bridge (`generate` with the loaded model), to evaluate on like `liveHistory`. */
export async function liveEngine(page: Page): Promise<JSHandle<AppHooks['engine']>> {
  const handle = await page.waitForFunction(() => window.__harbourApp?.engine, undefined, POLLING);
  return handle as JSHandle<AppHooks['engine']>;
}
