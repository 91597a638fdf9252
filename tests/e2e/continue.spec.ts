/**
 * Continue resumes the same reply wherever it was cut short, and the text it ends with is exactly
 * the uninterrupted reply (the scripted runtime carries on from the text it is given, as the engine
 * contract asks). A reference reply, never interrupted, is taken first in the same page.
 */
import { expect, test, type Page } from './fixtures';
import { liveHistory } from './app-hooks';
import { loadModel, openApp, send } from './helpers';

/** A long thought and answer, so that a Stop or a crash on a busy machine still lands inside them. */
const long = {
  thinking: `The user said hello. ${'I weigh the tide tables once more and check each pier in turn. '.repeat(5)}`,
  answer: `Hello! I am the **scripted** test model. ${'The ferries run every twenty minutes from Central. '.repeat(8)}你好，歡迎使用海港傾偈。`,
};

const box = (page: Page) => page.getByRole('textbox', { name: /^Ask anything/ });
const reply = (page: Page) => page.getByTestId('message-assistant').last();

/** The raw stored text of the last message on screen, thought included. */
async function lastContent(page: Page): Promise<string | undefined> {
  return (await liveHistory(page)).evaluate((history) => history.path.at(-1)?.content);
}

/** The reply to a question when nothing interrupts it. */
async function reference(page: Page): Promise<string> {
  await send(page, 'Reference question');
  await expect(reply(page)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const text = await lastContent(page);
  expect(text).toContain('</think>');
  await page.getByRole('button', { name: '+ New chat' }).click();
  return text ?? '';
}

async function continueToTheEnd(page: Page): Promise<void> {
  await reply(page).getByRole('button', { name: 'Continue' }).click();
  await expect(reply(page)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
}

test('Continue after Stop, mid-answer and mid-thought, gives exactly the uninterrupted reply', async ({
  page,
}) => {
  await openApp(page, { ...long, tokenDelayMs: 80 });
  await loadModel(page);
  const whole = await reference(page);

  await send(page, 'Stop me in the answer');
  await expect(reply(page).getByTestId('answer')).toContainText('Hello');
  await box(page).press('Escape');
  await expect(reply(page)).toHaveAttribute('data-status', 'stopped');
  await continueToTheEnd(page);
  expect(await lastContent(page)).toBe(whole);
  await expect(page.getByTestId('message-assistant')).toHaveCount(1); // the same message, carried on

  await page.getByRole('button', { name: '+ New chat' }).click();
  await send(page, 'Stop me while thinking');
  await expect(reply(page).getByTestId('thinking')).toContainText('The user');
  await box(page).press('Escape');
  await expect(reply(page)).toHaveAttribute('data-status', 'stopped');
  expect(await lastContent(page)).not.toContain('</think>');
  await continueToTheEnd(page);
  expect(await lastContent(page)).toBe(whole);
  await expect(reply(page).getByTestId('answer')).toContainText('歡迎使用海港傾偈');
  await expect(reply(page).getByTestId('answer')).not.toContainText('</think>');
  await page.reload();
  await expect(reply(page).getByTestId('answer')).toContainText('歡迎使用海港傾偈');
  expect(await lastContent(page)).toBe(whole);
});

test('Continue after the length limit, as often as needed, gives exactly the uninterrupted reply', async ({
  page,
}) => {
  await openApp(page, { tokenDelayMs: 0 });
  await loadModel(page);
  const whole = await reference(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByTestId('settings').getByLabel('Longest answer (tokens)').fill('12');
  await page.getByTestId('settings').getByLabel('Longest answer (tokens)').press('Tab');
  await page.getByTestId('settings').getByRole('button', { name: 'Close' }).click();
  await send(page, 'Tell me everything');
  await expect(reply(page).getByTestId('reply-cut-off')).toBeVisible();
  for (let round = 0; round < 10 && (await reply(page).getByTestId('reply-cut-off').count()) > 0; round++) {
    await reply(page).getByRole('button', { name: 'Continue' }).click();
    await expect(reply(page)).toHaveAttribute('data-status', 'done');
  }
  await expect(reply(page).getByTestId('reply-cut-off')).toHaveCount(0);
  expect(await lastContent(page)).toBe(whole);
});

test('a reply cut by a crashed tab is kept and continues in a new tab; the text lost is measured', async ({
  context,
}) => {
  const page = await context.newPage();
  await openApp(page, { ...long, tokenDelayMs: 50 });
  await loadModel(page);
  const whole = await reference(page);
  await send(page, 'Crash the tab while I answer');
  await expect(reply(page).getByTestId('answer')).toContainText('Hello');
  const onScreen = (await lastContent(page)) ?? '';
  const session = await context.newCDPSession(page);
  // The renderer dies at once; the call itself never returns.
  const crashed = page.waitForEvent('crash');
  void session.send('Page.crash').catch(() => undefined);
  await crashed;

  const next = await context.newPage();
  await next.goto('/');
  await expect(reply(next)).toHaveAttribute('data-status', 'interrupted');
  const stored = (await lastContent(next)) ?? '';
  expect(whole.startsWith(stored)).toBe(true);
  // Printed, not asserted (timing on a shared machine): what was on screen and not stored.
  const lostTokens = whole.slice(stored.length, onScreen.length).match(/\s*\S+|\s+/gu)?.length ?? 0;
  console.log(
    `[crash loss] on screen ${onScreen.length} chars, stored ${stored.length}; lost ${Math.max(onScreen.length - stored.length, 0)} chars ≈ ${lostTokens} tokens ≈ ${lostTokens * 50} ms at 50 ms/token`,
  );
  await loadModel(next);
  await continueToTheEnd(next);
  expect(await lastContent(next)).toBe(whole);
});

test('an engine worker killed mid-reply: the partial answer is kept, the model is unloaded, one click reloads', async ({
  page,
}) => {
  await openApp(page, { ...long, tokenDelayMs: 30 });
  await loadModel(page);
  const whole = await reference(page);
  await send(page, 'Please #crash the engine');
  await expect(reply(page)).toHaveAttribute('data-status', 'error');
  await expect(reply(page).getByTestId('reply-error')).toContainText('stopped unexpectedly');
  const partial = (await lastContent(page)) ?? '';
  expect(partial.length).toBeGreaterThan(0);
  expect(whole.startsWith(partial)).toBe(true);
  // The page no longer claims a model is ready: it says why, and Load model brings it back.
  await expect(page.getByTestId('model-ready')).toHaveCount(0);
  await expect(page.getByTestId('load-error')).toContainText('stopped unexpectedly');
  await page.getByRole('button', { name: 'Load model', exact: true }).click();
  await expect(page.getByTestId('model-ready')).toBeVisible();
  await continueToTheEnd(page);
  expect(await lastContent(page)).toBe(whole);
});
