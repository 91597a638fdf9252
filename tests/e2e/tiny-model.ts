/**
 * Shared steps for the real-engine tests: the REAL transformers.js runtime loading the tiny
 * generated model (tests/fixtures/models/harbour-test/tiny-r1) from the stand-in model host.
 */
import { expect, type Page } from '@playwright/test';

/** The tiny model's fixed reply (tests/fixtures/make_tiny_model.py): a thought, then the answer. */
export const tinyThought = 'Someone wrote to me. This is a test conversation';
export const tinyAnswer = 'Hello from Harbour Chat! 你好，歡迎使用海港傾偈。';

/** Records every percent the load progress shows, so a test can see that it reached 100. */
export async function recordLoadPercents(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { __loadPercents: seen });
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="load-percent"]')?.textContent;
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

export function loadPercents(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    ((window as unknown as { __loadPercents: string[] }).__loadPercents ?? []).map((text) =>
      parseFloat(text),
    ),
  );
}

/** Requests to the model host, by path. */
export function modelHostRequests(page: Page): string[] {
  const paths: string[] = [];
  page.context().on('request', (request) => {
    const url = new URL(request.url());
    if (url.hostname === '127.0.0.1') paths.push(url.pathname);
  });
  return paths;
}

export async function expectTinyReply(page: Page, index = 0, timeout = 60_000): Promise<void> {
  const reply = page.getByTestId('message-assistant').nth(index);
  await expect(reply).toHaveAttribute('data-status', 'done', { timeout });
  await expect(reply.getByTestId('thinking')).toContainText(tinyThought);
  await expect(reply.getByTestId('answer')).toContainText(tinyAnswer);
  await expect(reply.getByTestId('answer').locator('strong')).toHaveText('Harbour Chat');
  await expect(reply.getByTestId('answer')).not.toContainText('think>');
}
