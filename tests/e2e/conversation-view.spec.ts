import { expect, test } from './fixtures';
import { loadModel, openApp, send } from './helpers';

test('the thinking panel is open while the model thinks, then folds and says how long it took', async ({
  page,
}) => {
  await openApp(page, {
    thinking:
      'Let me weigh the options one word at a time, slowly and carefully, before I answer: first the question, then what the user may need, then how to say it briefly.',
    tokenDelayMs: 250,
  });
  await loadModel(page);
  await send(page, 'Think first');
  const reply = page.getByTestId('message-assistant');
  const panel = reply.getByTestId('thinking');
  await expect(panel).toHaveAttribute('open', '');
  await expect(reply.getByTestId('thinking-summary')).toHaveText('Thinking…');
  await expect(reply.getByTestId('answer')).toContainText('Hello!');
  await expect(panel).not.toHaveAttribute('open');
  await expect(reply.getByTestId('thinking-summary')).toHaveText(/^Thought for \d+ s$/);
  await expect(reply).toHaveAttribute('data-status', 'done');
  await expect(reply.getByTestId('reply-stats')).toContainText('tokens/s');
  // The reader can open it again, and the duration survives a reload.
  await reply.getByTestId('thinking-summary').click();
  await expect(panel).toHaveAttribute('open', '');
  await page.reload();
  await expect(page.getByTestId('thinking-summary')).toHaveText(/^Thought for \d+ s$/);
});

test('math renders with KaTeX and a code block’s copy button copies its code', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page, {
    tokenDelayMs: 0,
    answer:
      'The integral is\n\n\\[ \\int_0^1 x^2 \\, dx = \\frac{1}{3} \\]\n\nso \\( x = \\boxed{42} \\) costs $5 and $10.\n\n```python\nprint("harbour")\n```',
  });
  await loadModel(page);
  await send(page, 'Maths please');
  const answer = page.getByTestId('answer');
  await expect(answer.locator('.katex-display')).toHaveCount(1);
  await expect(answer.locator('.katex')).toHaveCount(2);
  await expect(answer).toContainText('costs $5 and $10');
  await answer.getByRole('button', { name: 'Copy' }).click();
  await expect(answer.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('print("harbour")');
  await page.getByTestId('copy-message').last().click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('\\boxed{42}');
});

test('model output cannot run script: an onerror image and a javascript: link do nothing', async ({
  page,
}) => {
  await openApp(page, {
    tokenDelayMs: 0,
    answer:
      'Look <img src=x onerror="window.__xss = 1"> and [click me](javascript:window.__xss=2) <a href="javascript:window.__xss=3">or me</a>',
  });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await loadModel(page);
  await send(page, 'Be naughty');
  const answer = page.getByTestId('answer');
  await expect(answer).toContainText('click me');
  await expect(answer.locator('[onerror]')).toHaveCount(0);
  await expect(answer.locator('a[href^="javascript"]')).toHaveCount(0);
  await answer.getByText('click me').click();
  await answer.getByText('or me').click();
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
});

test('an answer cut off by the length limit can be continued, and settings persist', async ({ page }) => {
  await openApp(page, { tokenDelayMs: 0 });
  await loadModel(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByTestId('settings');
  await settings.getByLabel('Longest answer (tokens)').fill('20');
  await settings.getByLabel('Longest answer (tokens)').press('Tab');
  await settings.getByRole('button', { name: 'Close' }).click();
  await expect(settings).toHaveCount(0);
  await send(page, 'Tell me everything');
  const reply = page.getByTestId('message-assistant');
  await expect(reply.getByTestId('reply-cut-off')).toBeVisible();
  await expect(reply.getByTestId('answer')).not.toContainText('歡迎');

  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('settings').getByLabel('Longest answer (tokens)')).toHaveValue('20');
  await page.getByTestId('settings').getByLabel('Longest answer (tokens)').fill('2048');
  await page.getByTestId('settings').getByLabel('Longest answer (tokens)').press('Tab');
  await page.getByTestId('settings').getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('settings')).toHaveCount(0);
  await loadModel(page);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(reply).toHaveAttribute('data-status', 'done');
  await expect(reply.getByTestId('answer')).toContainText('歡迎使用海港傾偈');
  await expect(reply.getByTestId('reply-cut-off')).toHaveCount(0);
});

test('a message too long for the model gets a clear message and nothing is sent', async ({ page }) => {
  await openApp(page, { tokenDelayMs: 0 });
  await loadModel(page);
  await send(page, '海'.repeat(5000));
  await expect(page.getByTestId('chat-notice')).toContainText('too long for the model’s memory');
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  // The refused text stays in the box, to be shortened.
  await expect(page.getByRole('textbox', { name: /^Ask anything/ })).toHaveValue('海'.repeat(5000));
  await expect(page.getByTestId('context-meter')).toBeVisible();
});

test('a streamed reply, shown in groups of blocks, is laid out as the same reply opened from storage', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page, { replyTokens: 900, tokenDelayMs: 0 });
  await loadModel(page);
  await send(page, 'Tides, with code and formulas');
  const reply = page.getByTestId('message-assistant');
  const answer = reply.getByTestId('answer').locator('.markdown');
  await expect(reply).toHaveAttribute('data-status', 'done');
  await expect(answer).not.toHaveAttribute('data-pending');
  // Each top-level block's place in the reply: margins collapse across groups as between blocks.
  const layout = () =>
    answer.evaluate((root) => {
      const top = root.getBoundingClientRect().top;
      return [...root.querySelectorAll(':scope > :not(.group), :scope > .group > *')].map((block) => {
        const box = block.getBoundingClientRect();
        return `${block.tagName} ${Math.round(box.top - top)} ${Math.round(box.height)}`;
      });
    });
  // The finished reply kept the groups it streamed in (its whole render made the same markup). How
  // many there are depends on the machine: blocks that wait past an update's render budget are
  // rendered together, as one.
  expect(await answer.locator(':scope > .group').count()).toBeGreaterThan(0);
  const streamed = await layout();
  expect(streamed.length).toBeGreaterThan(40);
  // A code block in the first group copies its code.
  await answer.locator(':scope > .group').first().getByRole('button', { name: 'Copy' }).first().click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^function tide\(hour: number\)/);

  await page.reload();
  await expect(answer).toContainText('Done.');
  await expect(answer).not.toHaveAttribute('data-pending');
  expect(await answer.locator(':scope > .group').count()).toBe(0);
  expect(await layout()).toEqual(streamed);
});
