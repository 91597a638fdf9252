import { describe, expect, it } from 'vitest';
import { estimateTokens, fitPrompt } from '../../src/lib/chat/context';
import { answerLanguageRequest, buildTurns, withAnswerLanguage } from '../../src/lib/chat/prompt';
import type { StoredMessage } from '../../src/lib/storage/history';

let next = 0;
function user(content: string): StoredMessage {
  return { id: `u${next++}`, role: 'user', content, createdAt: 0, status: 'done' };
}
function reply(content: string, status: StoredMessage['status'] = 'done'): StoredMessage {
  return { id: `a${next++}`, role: 'assistant', content, createdAt: 0, status };
}

describe('buildTurns', () => {
  it('sends earlier answers without their reasoning', () => {
    const turns = buildTurns([user('Hi'), reply('Greeting time.</think>\n\nHello!'), user('Again')]);
    expect(turns).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'Again' },
    ]);
  });

  it('keeps a turn for every finished reply, as far as its answer got; only the reply streaming now is left out', () => {
    const turns = buildTurns([
      user('a'),
      reply('thought</think>broken', 'error'),
      user('b'),
      reply('<think>only thinking, stopped', 'stopped'),
      user('c'),
      reply('x</think>partial', 'stopped'),
      user('d'),
      reply('The answer is 4.'),
      user('e'),
      reply('still going', 'streaming'),
    ]);
    expect(turns.map((t) => `${t.role}:${t.content}`)).toEqual([
      'user:a',
      'assistant:broken',
      'user:b',
      'assistant:',
      'user:c',
      'assistant:partial',
      'user:d',
      'assistant:The answer is 4.',
      'user:e',
    ]);
  });

  it('puts the system prompt into the first user turn instead of a system turn', () => {
    const turns = buildTurns([user('Question')], '  Answer in Cantonese.  ');
    expect(turns).toEqual([{ role: 'user', content: 'Answer in Cantonese.\n\nQuestion' }]);
  });
});

describe('estimateTokens', () => {
  it('counts CJK characters one each and other text in threes, rounding up', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abc')).toBe(1);
    expect(estimateTokens('abcd')).toBe(2);
    expect(estimateTokens('你好')).toBe(2);
    expect(estimateTokens('你好 abc')).toBe(4);
  });

  it('counts a character outside the BMP once, and a lone surrogate as one', () => {
    expect(estimateTokens('😀😀')).toBe(2);
    expect(estimateTokens('𠀋a')).toBe(2);
    expect(estimateTokens('\ud83d')).toBe(1);
    expect(estimateTokens('\ude00x')).toBe(2);
    expect(estimateTokens('\ud83d\ud83d\ude00')).toBe(2);
    expect(estimateTokens('\ud83dx\ude00')).toBe(3);
  });

  it('counts as a loop over the text would, code point by code point', () => {
    const byLoop = (text: string) => {
      let wide = 0;
      let other = 0;
      for (const character of text) {
        if ((character.codePointAt(0) ?? 0) > 0x2e7f) wide++;
        else other++;
      }
      return wide + Math.ceil(other / 3);
    };
    const pieces = ['a', ' ', '\n', 'é', '你', '⺀', '\u2e7f', '😀', '\ud83d', '\ude00', '\uffff'];
    let seed = 7;
    for (let sample = 0; sample < 200; sample++) {
      let text = '';
      for (let i = 0; i < 40; i++) {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        text += pieces[seed % pieces.length];
      }
      expect(estimateTokens(text), JSON.stringify(text)).toBe(byLoop(text));
    }
  });
});

describe('fitPrompt', () => {
  const long = (n: number) => 'x'.repeat(n * 3);

  it('keeps everything that fits and marks no memory start', () => {
    const messages = [user('Hi'), reply('t</think>Hello'), user('More')];
    const fitted = fitPrompt(messages, 4096, 1024);
    expect(fitted.turns).toHaveLength(3);
    expect(fitted.memoryStartId).toBeUndefined();
    expect(fitted.tooLong).toBe(false);
    expect(fitted.maxTokens).toBe(1024);
  });

  it('drops the oldest turns whole and says where memory begins', () => {
    const messages = [
      user(long(600)),
      reply(`t</think>${long(600)}`),
      user(long(300)),
      reply(`t</think>${long(300)}`),
      user('Now?'),
    ];
    const fitted = fitPrompt(messages, 2048, 1024);
    expect(fitted.memoryStartId).toBe(messages[2].id);
    expect(fitted.turns[0]).toEqual({ role: 'user', content: long(300) });
    expect(fitted.promptTokens).toBeLessThanOrEqual(1024);
  });

  it('never keeps an answer without its question', () => {
    const messages = [user(long(100)), reply(`t</think>${long(900)}`), user('Q')];
    const fitted = fitPrompt(messages, 2048, 1024);
    expect(fitted.turns).toEqual([{ role: 'user', content: 'Q' }]);
    expect(fitted.memoryStartId).toBe(messages[2].id);
  });

  it('reports a single message too long to send', () => {
    const fitted = fitPrompt([user(long(3900))], 4096, 1024);
    expect(fitted.tooLong).toBe(true);
    expect(fitted.turns).toEqual([]);
  });

  it("fits by the tokenizer's counts when given them: a message the estimate calls too long is sent", () => {
    // 'harbour ' is one token in Qwen's vocabulary; the estimate counts 8 characters as 3 tokens.
    const text = 'harbour '.repeat(1500);
    expect(fitPrompt([user(text)], 4096, 1024).tooLong).toBe(true);
    const counted = fitPrompt([user(text)], 4096, 1024, '', false, (t) => t.split(' ').length - 1);
    expect(counted.tooLong).toBe(false);
    expect(counted.promptTokens).toBe(1500 + 8);
  });

  it('lowers the reply budget so prompt and reply fit the window together', () => {
    const fitted = fitPrompt([user(long(1500))], 2048, 4096);
    expect(fitted.tooLong).toBe(false);
    expect(fitted.promptTokens + fitted.maxTokens).toBeLessThanOrEqual(2048);
  });
});

describe('asking for Hong Kong Chinese', () => {
  it('knows Cantonese and Traditional Chinese from Simplified Chinese and English', () => {
    expect(answerLanguageRequest('你哋點解咁鍾意飲茶？')).toMatch(/廣東話書面語/);
    expect(answerLanguageRequest('請問這個問題應該怎麼解決？')).toMatch(/^（請用繁體中文回答/);
    expect(answerLanguageRequest('请问这个问题应该怎么解决？')).toBeUndefined();
    expect(answerLanguageRequest('How do I get to Central?')).toBeUndefined();
  });

  it('adds the request to the end of the first user turn only, and keeps it once a later turn asks', () => {
    const messages = [user('Hello'), reply('t</think>Hi!'), user('佢哋喺邊度？')];
    const sent = fitPrompt(messages, 4096, 512, 'Be brief.', true).turns;
    expect(sent).toEqual([
      { role: 'user', content: 'Be brief.\n\nHello\n\n（請用繁體中文、廣東話書面語回答，用香港常用字詞。）' },
      { role: 'assistant', content: 'Hi!' },
      { role: 'user', content: '佢哋喺邊度？' },
    ]);
    // The setting off, or a user writing English or Simplified: nothing is added.
    expect(fitPrompt(messages, 4096, 512, '', false).turns[0].content).toBe('Hello');
    expect(withAnswerLanguage([{ role: 'user', content: '请问怎么走？' }])[0].content).toBe('请问怎么走？');
  });

  it('sends earlier answers as the model wrote them, not as they were shown', () => {
    const sent = fitPrompt(
      [user('頭髮點護理？'), reply('想想</think>头发要勤洗。'), user('仲有呢？')],
      4096,
      512,
      '',
      true,
    );
    expect(sent.turns[1]).toEqual({ role: 'assistant', content: '头发要勤洗。' });
  });
});
