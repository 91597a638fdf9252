import { readFile } from 'node:fs/promises';
import { expect, test, type Download, type Page } from './fixtures';
import { loadModel, openApp, send } from './helpers';

const answers = (page: Page) => page.getByTestId('message-assistant');
const questions = (page: Page) => page.getByTestId('message-user');

async function exportAll(page: Page): Promise<string> {
  const menu = page.getByRole('navigation', { name: 'Chats' }).locator('details.menu');
  if (!(await menu.evaluate((el) => (el as HTMLDetailsElement).open))) await menu.locator('summary').click();
  const [download]: [Download, void] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'All chats as JSON' }).click(),
  ]);
  return readFile(await download.path(), 'utf8');
}

test('regenerate twice and edit once keep every version; they survive a reload, switch, and round-trip', async ({
  page,
  browser,
}) => {
  await openApp(page, { tokenDelayMs: 80 });
  await loadModel(page);
  await send(page, 'Which ferry goes to Lamma?');
  await expect(answers(page)).toHaveAttribute('data-status', 'done');
  await send(page, 'And back?');
  await expect(answers(page).nth(1)).toHaveAttribute('data-status', 'done');

  // Regenerate the first answer twice: the first new version is stopped part-way, so they differ.
  await answers(page).first().getByRole('button', { name: 'Regenerate' }).click();
  await expect(answers(page)).toHaveCount(1); // the later turn belongs to the first version
  await expect(answers(page)).toHaveAttribute('data-status', 'streaming');
  await page.getByRole('textbox', { name: /^Ask anything/ }).press('Escape');
  await expect(answers(page)).toHaveAttribute('data-status', 'stopped');
  await expect(answers(page).getByTestId('version-place')).toContainText('2 / 2');
  await answers(page).getByRole('button', { name: 'Regenerate' }).click();
  await expect(answers(page)).toHaveAttribute('data-status', 'done');
  await expect(answers(page).getByTestId('version-place')).toContainText('3 / 3');

  // Edit the first question once: a second version of it, with its own answer.
  await questions(page).getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('textbox', { name: 'Edit your message' }).fill('Which ferry goes to Cheung Chau?');
  await page.getByRole('button', { name: 'Save and send' }).click();
  await expect(answers(page)).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('user-text')).toHaveText(['Which ferry goes to Cheung Chau?']);
  await expect(questions(page).getByTestId('version-place')).toContainText('2 / 2');

  await page.reload();
  await expect(page.getByTestId('user-text')).toHaveText(['Which ferry goes to Cheung Chau?']);
  await expect(questions(page).getByTestId('version-place')).toContainText('2 / 2');
  await loadModel(page);

  // Back to the original question, by keyboard: its newest answer and the turn after it return.
  const previousQuestion = questions(page).getByRole('button', { name: 'Previous version' });
  await previousQuestion.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('user-text')).toHaveText(['Which ferry goes to Lamma?']);
  await expect(questions(page).getByTestId('version-place')).toContainText('1 / 2');
  await expect(questions(page).getByTestId('version-place')).toContainText('Version 1 of 2');
  // The focus stays on the switcher of the version now shown.
  await expect(questions(page).getByRole('button', { name: 'Next version' })).toBeFocused();
  await expect(answers(page).first().getByTestId('version-place')).toContainText('3 / 3');
  await answers(page).first().getByRole('button', { name: 'Previous version' }).click();
  await expect(answers(page).first()).toHaveAttribute('data-status', 'stopped');
  await expect(answers(page).first().getByTestId('version-place')).toContainText('2 / 3');
  await answers(page).first().getByRole('button', { name: 'Previous version' }).click();
  await expect(answers(page).first().getByTestId('version-place')).toContainText('1 / 3');
  await expect(page.getByTestId('user-text')).toHaveText(['Which ferry goes to Lamma?', 'And back?']);
  await expect(answers(page)).toHaveCount(2);

  // The prompt is the path on screen: a new question here follows "And back?" and its answer.
  await send(page, 'Thanks');
  await expect(answers(page)).toHaveCount(3);
  await expect(answers(page).last()).toHaveAttribute('data-status', 'done');

  // Export → import elsewhere → export gives the same file, and the same path is shown.
  const exported = await exportAll(page);
  const file = JSON.parse(exported) as { conversations: { messages: unknown[] }[] };
  expect(file.conversations[0].messages).toHaveLength(10);
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await openApp(fresh);
  const menu = fresh.getByRole('navigation', { name: 'Chats' }).locator('details.menu');
  await menu.locator('summary').click();
  await fresh
    .getByTestId('import-file')
    .setInputFiles({ name: 'chats.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await expect(fresh.getByTestId('transfer-report')).toContainText('1 new chat');
  expect(await exportAll(fresh)).toBe(exported);
  await fresh
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button', { name: /^Which ferry/ })
    .click();
  await expect(fresh.getByTestId('user-text')).toHaveText([
    'Which ferry goes to Lamma?',
    'And back?',
    'Thanks',
  ]);
  await expect(answers(fresh).first().getByTestId('version-place')).toContainText('1 / 3');
  await other.close();
});
