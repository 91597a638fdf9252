import { expect, test } from './fixtures';
import { starters } from '../../src/lib/chat/starters';
import { loadModelAnyLanguage, openWith } from './i18n-helpers';

const promptOf = (id: string, locale: 'en' | 'zh-HK') => {
  const starter = starters.find((s) => s.id === id);
  if (!starter) throw new Error(`no starter ${id}`);
  return starter.prompt[locale];
};

test('a starting card sends its prompt with one tap and names the conversation', async ({ page }) => {
  await openWith(page, { locale: 'en', script: { tokenDelayMs: 0 } });
  const cards = page.getByTestId('starters');
  // Before a model is ready, the cards that send wait; the one that fills the composer does not.
  await expect(cards.getByRole('button', { name: /^Plan a day out/ })).toBeDisabled();
  await expect(cards.getByRole('button', { name: /^Meeting minutes/ })).toBeEnabled();
  await loadModelAnyLanguage(page);

  await cards.getByRole('button', { name: /^Plan a day out/ }).click();
  await expect(page.getByTestId('user-text')).toHaveText(promptOf('day-out', 'en'));
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('starters')).toHaveCount(0);
  await expect(
    page
      .getByRole('navigation')
      .getByRole('button', { name: 'Plan a one-day outing in Hong Kong for me.', exact: true }),
  ).toBeVisible();
  // An ordinary conversation carries no health or law note.
  await expect(page.getByTestId('topic-note')).toHaveCount(0);
});

test('health and law answers carry a visible "general information" note, kept across a reload', async ({
  page,
}) => {
  await openWith(page, { locale: 'zh-HK', script: { tokenDelayMs: 0 } });
  await loadModelAnyLanguage(page);

  await page
    .getByTestId('starters')
    .getByRole('button', { name: /^健康資訊/ })
    .click();
  await expect(page.getByTestId('user-text')).toHaveText(promptOf('health', 'zh-HK'));
  const reply = page.getByTestId('message-assistant');
  await expect(reply).toHaveAttribute('data-status', 'done');
  await expect(reply.getByTestId('topic-note')).toBeVisible();
  await expect(reply.getByTestId('topic-note')).toContainText('唔係醫療意見');

  await page.getByRole('button', { name: '+ 新對話' }).click();
  await page
    .getByTestId('starters')
    .getByRole('button', { name: /^法律常識/ })
    .click();
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('topic-note')).toContainText('唔係法律意見');

  // A follow-up answer in the same conversation carries the note too.
  const box = page.locator('#composer-input');
  await box.fill('再講多啲');
  await box.press('Enter');
  await expect(page.getByTestId('message-assistant').nth(1)).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('topic-note')).toHaveCount(2);

  // The topic is stored with the conversation.
  await page.reload();
  await expect(page.getByTestId('topic-note').first()).toContainText('唔係法律意見');
  await page
    .getByRole('navigation')
    .getByRole('button', { name: promptOf('health', 'zh-HK').split('\n')[0], exact: true })
    .click();
  await expect(page.getByTestId('topic-note')).toContainText('唔係醫療意見');
});

test('the meeting-minutes card puts a template into the composer and sends nothing', async ({ page }) => {
  await openWith(page, { locale: 'en', script: { tokenDelayMs: 0 } });
  await loadModelAnyLanguage(page);
  await page
    .getByTestId('starters')
    .getByRole('button', { name: /^Meeting minutes/ })
    .click();

  const box = page.locator('#composer-input');
  await expect(box).toHaveValue(promptOf('minutes', 'en'));
  await expect(box).toBeFocused();
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  // The caret waits at the end, after "My notes:", for the notes to be pasted.
  await page.keyboard.insertText('Tom will book the room by Friday.');
  await expect(box).toHaveValue(`${promptOf('minutes', 'en')}Tom will book the room by Friday.`);
  await box.press('Enter');
  await expect(page.getByTestId('user-text')).toContainText('Tom will book the room by Friday.');
  await expect(page.getByTestId('message-assistant')).toHaveAttribute('data-status', 'done');
});
