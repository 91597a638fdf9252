import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { firstSentence } from '../../src/lib/chat/announce';
import { starterTitle, starters } from '../../src/lib/chat/starters';
import { formatDuration } from '../../src/lib/format';
import { en, format, tables, zhHK } from '../../src/lib/i18n/messages';
import { localeFor } from '../../src/lib/state/locale.svelte';
import { SCHEMA_VERSION, type Conversation } from '../../src/lib/storage/records';
import { ConversationSchema } from '../../src/lib/storage/schema';
import { exportJson } from '../../src/lib/storage/transfer';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('the message tables', () => {
  const enKeys = Object.keys(en);
  const zhKeys = Object.keys(zhHK);

  it('give every English message a non-empty zh-HK text', () => {
    const missing = enKeys.filter((key) => !(zhHK as Record<string, string | undefined>)[key]?.trim());
    expect(missing).toEqual([]);
  });

  it('have no zh-HK key the English lacks', () => {
    expect(zhKeys.filter((key) => !(key in en))).toEqual([]);
  });

  it('use the same {placeholders} in both languages', () => {
    const mismatched = enKeys.filter(
      (key) =>
        placeholders(en[key as keyof typeof en]).join() !==
        placeholders(zhHK[key as keyof typeof zhHK]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('write zh-HK in Chinese: every text has Han characters', () => {
    // Except "{done}／{total}", which is punctuation around two numbers.
    const sameOnPurpose = new Set(['progress.amount']);
    const untranslated = enKeys.filter(
      (key) => !sameOnPurpose.has(key) && !/\p{Script=Han}/u.test(zhHK[key as keyof typeof zhHK]),
    );
    expect(untranslated).toEqual([]);
  });

  it('fill placeholders and leave unknown ones visible', () => {
    expect(format(tables['zh-HK']['model.ready'], { name: 'DeepSeek-R1' })).toBe('DeepSeek-R1 已準備好');
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});

describe('the first visit language', () => {
  it('is zh-HK for any Chinese or Cantonese browser language, English otherwise', () => {
    expect(localeFor(['zh-HK', 'en'])).toBe('zh-HK');
    expect(localeFor(['en-GB', 'zh-TW'])).toBe('zh-HK');
    expect(localeFor(['yue'])).toBe('zh-HK');
    expect(localeFor(['zh'])).toBe('zh-HK');
    expect(localeFor(['en-US', 'fr'])).toBe('en');
    expect(localeFor([])).toBe('en');
  });
});

describe('starting points', () => {
  it('have a prompt in both languages that says which language to answer in', () => {
    for (const starter of starters) {
      expect(starter.prompt.en).toMatch(/in English\.?/);
      expect(starter.prompt['zh-HK']).toMatch(/香港繁體中文/);
      expect(starter.prompt['zh-HK']).toMatch(/\p{Script=Han}/u);
    }
  });

  it('cover the Hong Kong tasks, with health and law tagged and meeting minutes and the fortune stick filled, not sent', () => {
    expect(starters.map((s) => s.id)).toEqual([
      'day-out',
      'minutes',
      'health',
      'law',
      'transport',
      'translate',
      'fortune',
    ]);
    expect(starters.filter((s) => s.topic).map((s) => [s.id, s.topic])).toEqual([
      ['health', 'health'],
      ['law', 'law'],
    ]);
    expect(starters.filter((s) => s.action === 'fill').map((s) => s.id)).toEqual(['minutes', 'fortune']);
    const minutes = starters.find((s) => s.id === 'minutes');
    expect(minutes?.prompt.en.trimEnd()).toMatch(/My notes:$/);
    expect(minutes?.prompt['zh-HK'].trimEnd()).toMatch(/我嘅筆記：$/);
  });

  it('title a conversation with the prompt’s first line', () => {
    const health = starters.find((s) => s.id === 'health');
    expect(health && starterTitle(health, 'en')).toBe(
      'Explain how to tell a common cold from influenza (the flu).',
    );
    expect(health && starterTitle(health, 'zh-HK')).toBe('解釋點樣分辨傷風（普通感冒）同流感。');
  });
});

describe('what a screen reader hears when a reply ends', () => {
  it('is the first sentence as plain text', () => {
    expect(firstSentence('Hello! I am the **scripted** test model.\n\n- One')).toBe('Hello!');
    expect(firstSentence('## Plan\n\nTake the **MTR** to [Central](https://x.hk). Then walk.')).toBe(
      'Plan Take the MTR to Central.',
    );
    expect(firstSentence('你好，歡迎使用海港傾偈。之後再講。')).toBe('你好，歡迎使用海港傾偈。');
    expect(firstSentence('```js\nlet a = 1.5;\n```\nDone')).toBe('Done');
    expect(firstSentence('')).toBe('');
  });

  it('skips formulas, tables and markup in answers of any size', () => {
    const formulas = Array.from({ length: 500 }, (_, i) => `$$\nx^{${i}}\n$$`).join('\n\n');
    expect(firstSentence(`${formulas}\n\nAll done. More.`)).toBe('All done.');
    // Only the start is read: past it, nothing is said rather than something slow to find.
    expect(firstSentence(`${formulas.repeat(4)}\n\nAll done.`)).toBe('');
    expect(firstSentence(`$$\nx\n$$\n\n| a |\n|---|\n| b |\n\nThe table. More.`)).toBe('a b The table.');
    expect(firstSentence(`${'a < b '.repeat(5_000)}`)).toHaveLength(160);
    expect(firstSentence('See [the chart](https://x.hk) <b>now</b>. Then.')).toBe('See the chart now .');
  });

  it('is cut short when the sentence is long', () => {
    const said = firstSentence(`${'word '.repeat(100)}end.`);
    expect(said.length).toBeLessThanOrEqual(160);
    expect(said.endsWith('…')).toBe(true);
  });
});

describe('durations', () => {
  it('are written in the user’s language', () => {
    expect(formatDuration(200, 'en')).toBe('3 min 20 sec');
    expect(formatDuration(12, 'zh-HK')).toBe('12 秒');
    expect(formatDuration(3900, 'zh-HK')).toBe('1 小時 5 分鐘');
  });
});

describe('the topic of a conversation opened from a health or law card', () => {
  const conversation: Conversation = {
    schemaVersion: SCHEMA_VERSION,
    id: 'c1',
    title: '健康資訊',
    // Inside the dates an import accepts (2000-01-01 to tomorrow).
    createdAt: Date.UTC(2025, 0, 1),
    updatedAt: Date.UTC(2025, 0, 2),
    messages: [],
    topic: 'health',
  };

  it('is exported and accepted again by the import schema', () => {
    const exported = JSON.parse(exportJson([conversation])) as { conversations: unknown[] };
    expect(exported.conversations[0]).toMatchObject({ topic: 'health' });
    expect(v.parse(ConversationSchema, exported.conversations[0])).toMatchObject({ topic: 'health' });
    expect(v.safeParse(ConversationSchema, { ...conversation, topic: 'tax' }).success).toBe(false);
  });
});
