import { expect, test, type Page } from './fixtures';
import { starters } from '../../src/lib/chat/starters';
import type { ChatTurn } from '../../src/shared/engine';
import { loadModelAnyLanguage, openWith, sendAndWait } from './i18n-helpers';

// A reply in Simplified Chinese with Mainland wording, as the R1 distills often give, with code, a
// URL and maths that must keep the model's characters.
const THOUGHT = '用户问头发 怎么护理，我要 解释 洗头发 的方法。';
const ANSWER = [
  '## 头发护理',
  '',
  '头发 要勤洗，服务器 和 鼠标 不相关，面条 也好。',
  '',
  '```python',
  'print("头发和面条")  # 后来',
  '```',
  '',
  '公式 $x_{发}$ 见 https://example.com/头发 。',
].join('\n');
const CHANNEL = 'hong-kong-prompts';

type WithPrompts = { __prompts: ChatTurn[][] };

/** Collects the turns the scripted model is asked for, in order. */
async function listenForPrompts(page: Page): Promise<void> {
  await page.evaluate((name) => {
    const store = window as unknown as WithPrompts;
    store.__prompts = [];
    new BroadcastChannel(name).onmessage = (event: MessageEvent<ChatTurn[]>) =>
      store.__prompts.push(event.data);
  }, CHANNEL);
}

type WithSeen = { __seen: string[] };

/** Records the reply's prose (heading, paragraphs, thought) each time the page changes it. */
async function watchWhatShows(page: Page): Promise<void> {
  await page.evaluate(() => {
    const store = window as unknown as WithSeen;
    store.__seen = [];
    new MutationObserver(() => {
      const prose = document.querySelectorAll('[data-testid="answer"] :is(h2, p), .thought-text');
      // Maths keeps the model's characters, so its rendering is left out.
      const text = [...prose]
        .map((element) => {
          const copy = element.cloneNode(true) as Element;
          copy.querySelectorAll('.katex').forEach((math) => math.remove());
          return copy.textContent ?? '';
        })
        .join('\n');
      if (text && store.__seen.at(-1) !== text) store.__seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

function prompts(page: Page): Promise<ChatTurn[][]> {
  return page.evaluate(() => (window as unknown as WithPrompts).__prompts);
}

/** Every stored conversation, as JSON. */
function storedText(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('harbour-chat');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('conversations').objectStore('conversations').getAll();
          request.onsuccess = () => {
            open.result.close();
            resolve(JSON.stringify(request.result));
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

async function openSettings(page: Page) {
  await page.getByRole('button', { name: '設定' }).click();
  return page.getByRole('dialog', { name: '設定' });
}

test('a Simplified reply streams and shows in Hong Kong Traditional; code, maths and URLs do not; the model’s text is kept and sent back', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openWith(page, {
    locale: 'zh-HK',
    script: { tokenDelayMs: 15, thinking: THOUGHT, answer: ANSWER, promptChannel: CHANNEL },
  });
  await listenForPrompts(page);
  await loadModelAnyLanguage(page);
  await watchWhatShows(page);
  await sendAndWait(page, '我嘅頭髮點樣護理？');

  const answer = page.getByTestId('answer');
  // The converter is a lazy chunk, built in slices the first time: allow it time on a slow machine.
  await expect(answer.getByRole('heading')).toHaveText('頭髮護理', { timeout: 30_000 });
  await expect(answer).toContainText('頭髮 要勤洗，伺服器 和 滑鼠 不相關，麪條 也好。');
  await expect(answer.locator('pre code')).toHaveText('print("头发和面条")  # 后来');
  await expect(answer).toContainText('https://example.com/头发');
  await expect(answer).toContainText('見');
  await expect(answer.locator('.katex annotation')).toHaveText('x_{发}');
  await expect(page.getByTestId('thinking').locator('.thought-text')).toHaveText(
    '用户問頭髮 怎麼護理，我要 解釋 洗頭髮 的方法。',
  );

  // Copy gives what is on screen.
  await page.getByTestId('copy-message').last().click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('## 頭髮護理');
  expect(copied).toContain('print("头发和面条")  # 后来');

  // Storage keeps the model's own text.
  await expect.poll(() => storedText(page)).toContain('头发 要勤洗，服务器 和 鼠标');
  expect(await storedText(page)).not.toContain('頭髮護理');

  // The first user turn asked for written Cantonese; the next prompt sends the answer as written.
  await sendAndWait(page, '仲有呢？');
  const sent = await prompts(page);
  expect(sent[0]).toEqual([
    { role: 'user', content: '我嘅頭髮點樣護理？\n\n（請用繁體中文、廣東話書面語回答，用香港常用字詞。）' },
  ]);
  expect(sent[1][1]).toEqual({ role: 'assistant', content: ANSWER });
  expect(sent[1][2]).toEqual({ role: 'user', content: '仲有呢？' });

  // Neither reply ever showed Simplified prose or a half-converted phrase: the first waited for the
  // converter to load, the second streamed through it, view after view.
  const seen = await page.evaluate(() => (window as unknown as WithSeen).__seen);
  expect(seen.length).toBeGreaterThan(5);
  expect(seen.filter((text) => /头|发|护|问|面条|们|这/.test(text.replace(/https:\S+/g, '')))).toEqual([]);

  // Turned off, the model's own text shows again.
  const settings = await openSettings(page);
  await settings.getByRole('checkbox', { name: '用香港繁體中文顯示回答' }).uncheck();
  await settings.getByRole('button', { name: '關閉' }).click();
  await expect(answer.first().getByRole('heading')).toHaveText('头发护理');
  await expect(page.getByTestId('thinking').first().locator('.thought-text')).toHaveText(THOUGHT);
});

test('with the request turned off, or for an English question, the user turn is sent as written', async ({
  page,
}) => {
  await openWith(page, { locale: 'zh-HK', script: { tokenDelayMs: 0, promptChannel: CHANNEL } });
  await listenForPrompts(page);
  await loadModelAnyLanguage(page);
  await sendAndWait(page, 'How do I get to Central?');
  await page.getByRole('button', { name: '新對話' }).first().click();
  const settings = await openSettings(page);
  const ask = settings.getByRole('checkbox', { name: '我用繁體中文或者廣東話嘅時候，請模型用繁體中文回答' });
  await expect(ask).toBeChecked();
  await ask.uncheck();
  await settings.getByRole('button', { name: '關閉' }).click();
  await sendAndWait(page, '我嘅頭髮點樣護理？');
  const sent = await prompts(page);
  expect(sent.map((turns) => turns[0].content)).toEqual(['How do I get to Central?', '我嘅頭髮點樣護理？']);
});

test('the New Year fortune-stick card puts its prompt in the composer for the verse to be added', async ({
  page,
}) => {
  const fortune = starters.find((s) => s.id === 'fortune');
  await openWith(page, { locale: 'zh-HK', script: { tokenDelayMs: 0 } });
  await loadModelAnyLanguage(page);
  const card = page.getByTestId('starters').getByRole('button', { name: /^求籤解籤/ });
  await expect(card).toContainText('新春');
  await expect(card).toContainText('純粹娛樂');
  await card.click();
  await expect(page.locator('#composer-input')).toHaveValue(fortune?.prompt['zh-HK'] ?? 'missing');
  await expect(page.getByTestId('message-user')).toHaveCount(0);
});
