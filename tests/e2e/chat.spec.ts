import { expect, test } from './fixtures';
import { loadModel, openApp, send } from './helpers';

test('load with progress, stream a reply, stop one, and keep both across a reload', async ({ page }) => {
  await openApp(page, { tokenDelayMs: 100, loadMs: 1500 });
  await page.getByRole('button', { name: /Download and load/ }).click();
  const progress = page.getByTestId('load-progress');
  await expect(progress).toContainText('Downloading');
  await expect(progress).toContainText(/of 12 MB/);
  await expect(page.getByTestId('model-ready')).toBeVisible();

  await send(page, 'Hello there');
  const reply = page.getByTestId('message-assistant').last();
  // It streams: some text arrives while the reply is still growing.
  await expect(reply).toHaveAttribute('data-status', 'streaming');
  await expect(reply.getByTestId('answer')).toContainText('Hello!');
  await expect(reply).toHaveAttribute('data-status', 'done');
  await expect(reply.getByTestId('answer')).toContainText('歡迎使用海港傾偈');
  await expect(reply.getByTestId('thinking')).toContainText('greet them back');
  await expect(reply.getByTestId('answer')).not.toContainText('</think>');

  await send(page, 'Tell me more');
  const second = page.getByTestId('message-assistant').nth(1);
  await expect(second.getByTestId('thinking')).toContainText('The user');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(second).toHaveAttribute('data-status', 'stopped');
  await expect(second.getByTestId('reply-stopped')).toBeVisible();
  // Stopped well before the end: the answer's last sentence never arrived.
  await expect(second.getByTestId('answer')).not.toContainText('歡迎使用海港傾偈');

  await page.reload();
  await expect(page.getByTestId('message-user')).toHaveCount(2);
  await expect(page.getByTestId('message-assistant').first()).toContainText('歡迎使用海港傾偈');
  await expect(page.getByTestId('message-assistant').nth(1)).toHaveAttribute('data-status', 'stopped');
  // The model files were cached by the first load.
  await expect(page.getByRole('button', { name: 'Load model', exact: true })).toBeVisible();
});

test('new, switch between and delete conversations', async ({ page }) => {
  await openApp(page, { tokenDelayMs: 0 });
  await loadModel(page);
  await send(page, 'First conversation');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  await page.getByRole('button', { name: '+ New chat' }).click();
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await send(page, 'Second conversation');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');

  const history = page.getByRole('navigation', { name: 'Chats' });
  await expect(history.getByRole('button', { name: 'Second conversation', exact: true })).toBeVisible();
  await history.getByRole('button', { name: 'First conversation', exact: true }).click();
  await expect(page.getByTestId('user-text')).toHaveText('First conversation');

  page.once('dialog', (dialog) => void dialog.accept());
  await history.getByRole('button', { name: 'Delete chat: First conversation' }).click();
  await expect(history.getByRole('button', { name: 'First conversation', exact: true })).toHaveCount(0);
  await page.reload();
  await expect(history.getByRole('button', { name: 'Second conversation', exact: true })).toBeVisible();
  await expect(history.getByRole('button', { name: 'First conversation', exact: true })).toHaveCount(0);
});

test('Shift+Enter makes a new line and Enter during IME composition does not send', async ({ page }) => {
  await openApp(page, { tokenDelayMs: 0 });
  await loadModel(page);
  const box = page.getByRole('textbox', { name: /^Ask anything/ });
  await box.fill('line one');
  await box.press('Shift+Enter');
  await box.pressSequentially('line two');
  await expect(box).toHaveValue('line one\nline two');
  await box.evaluate((element) =>
    element.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true }),
    ),
  );
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await box.press('Enter');
  await expect(page.getByTestId('user-text')).toHaveText('line one\nline two');
});

test('a failed reply shows a clear message and keeps the conversation', async ({ page }) => {
  await openApp(page, { tokenDelayMs: 10 });
  await loadModel(page);
  await send(page, 'Works fine');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  await send(page, 'Now break #fail:DeviceLostError');
  const failed = page.getByTestId('message-assistant').nth(1);
  await expect(failed).toHaveAttribute('data-status', 'error');
  await expect(failed.getByTestId('reply-error')).toContainText('graphics card stopped responding');
  // The model must be loaded again, and the earlier turns are untouched.
  await expect(page.getByTestId('load-error')).toContainText('graphics card stopped responding');
  await page.reload();
  await expect(page.getByTestId('message-user')).toHaveCount(2);
  await expect(page.getByTestId('message-assistant').first()).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('message-assistant').nth(1)).toHaveAttribute('data-status', 'error');
});

test('a model load can be cancelled and started again', async ({ page }) => {
  await openApp(page, { loadMs: 20_000 });
  await page.getByRole('button', { name: /Download and load/ }).click();
  await expect(page.getByTestId('load-progress')).toContainText('Downloading');
  // While files arrive, stopping is a pause (what arrived is kept); the scripted model keeps nothing.
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('load-progress')).toHaveCount(0);
  await expect(page.getByTestId('load-error')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Download and load/ })).toBeEnabled();
});

test('a failed load says what to do and can be dismissed', async ({ page }) => {
  await openApp(page, { loadMs: 200, failLoad: 'QuotaExceededError' });
  await page.getByRole('button', { name: /Download and load/ }).click();
  await expect(page.getByTestId('load-error')).toContainText('storage is full');
  await page.getByTestId('load-error').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('load-error')).toHaveCount(0);
});

test('a reply is complete at the moment it is marked done, even when the tokens come fast', async ({
  page,
}) => {
  const words = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
  await openApp(page, { tokenDelayMs: 0, answer: `${words} THE-END` });
  await loadModel(page);
  // Capture the answer's text in the same DOM update that marks the reply done.
  const atDone = page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        new MutationObserver((_, observer) => {
          const reply = document.querySelector('[data-testid="message-assistant"][data-status="done"]');
          if (!reply) return;
          observer.disconnect();
          resolve(reply.querySelector('[data-testid="answer"]')?.textContent ?? '');
        }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      }),
  );
  await send(page, 'Fast, please');
  expect(await atDone).toContain('THE-END');
});

test('the thinking label pulses only while no words show the model at work', async ({ page }) => {
  await openApp(page, { thinking: 'The tide turns twice a day at the pier. '.repeat(60), tokenDelayMs: 40 });
  await loadModel(page);
  await send(page, 'When is high tide?');
  const reply = page.getByTestId('message-assistant').last();
  const running = () =>
    page.evaluate(
      () => document.getAnimations().filter((animation) => animation.playState === 'running').length,
    );
  // The thought's words stream in the open panel: they show the work, and nothing animates beside them.
  await expect(reply.getByTestId('thinking')).toContainText('The tide turns');
  await expect.poll(running).toBe(0);
  // Folded while the model still thinks: the label pulses instead.
  await reply.getByTestId('thinking-summary').click();
  await expect(reply).toHaveAttribute('data-status', 'streaming');
  await expect.poll(running).toBeGreaterThan(0);
});
