import { describe, expect, it } from 'vitest';
import { stripThinking, ThinkSplitter, type ThinkOptions, type ThinkSplit } from '../../src/lib/chat/think';

/** Feeds `pieces` one by one and returns the split once finished. */
function feed(pieces: readonly string[], options?: ThinkOptions): ThinkSplit {
  const splitter = new ThinkSplitter(options);
  for (const piece of pieces) splitter.push(piece);
  splitter.finish();
  return { thinking: splitter.thinking, answer: splitter.answer, thoughtClosed: splitter.thoughtClosed };
}

const CASES: readonly { name: string; reply: string; options?: ThinkOptions; expected: ThinkSplit }[] = [
  {
    name: 'reply that begins inside the thought (template opened it)',
    reply: 'Okay, 2 + 2.\nThat is 4.\n</think>\n\nThe answer is **4**.',
    expected: { thinking: 'Okay, 2 + 2.\nThat is 4.', answer: 'The answer is **4**.', thoughtClosed: true },
  },
  {
    name: 'reply that opens the thought itself',
    reply: '<think>\nLet me see.\n</think>\n\nHello!',
    expected: { thinking: 'Let me see.', answer: 'Hello!', thoughtClosed: true },
  },
  {
    name: 'opening tag after whitespace',
    reply: '\n\n  <think>Hmm.</think>Hi',
    expected: { thinking: 'Hmm.', answer: 'Hi', thoughtClosed: true },
  },
  {
    name: 'empty thought',
    reply: '<think>\n\n</think>\n\nHello there.',
    expected: { thinking: '', answer: 'Hello there.', thoughtClosed: true },
  },
  {
    name: 'closing tag right at the start',
    reply: '</think>\n\nJust the answer.',
    expected: { thinking: '', answer: 'Just the answer.', thoughtClosed: true },
  },
  {
    name: 'stopped mid-thought: all thinking',
    reply: 'I need to consider the case where x < 0 and </th',
    expected: {
      thinking: 'I need to consider the case where x < 0 and </th',
      answer: '',
      thoughtClosed: false,
    },
  },
  {
    name: 'no tags at all: all thinking by default',
    reply: 'Just some words.',
    expected: { thinking: 'Just some words.', answer: '', thoughtClosed: false },
  },
  {
    name: 'no tags, template that does not open the thought: all answer',
    reply: '  Just some words.',
    options: { startsInThought: false },
    expected: { thinking: '', answer: 'Just some words.', thoughtClosed: false },
  },
  {
    name: 'startsInThought false with a thought',
    reply: '<think>plan</think>\n\nanswer',
    options: { startsInThought: false },
    expected: { thinking: 'plan', answer: 'answer', thoughtClosed: true },
  },
  {
    name: 'startsInThought false: text before <think> is answer',
    reply: 'Intro.\n\n<think>plan</think>\n\nBody.',
    options: { startsInThought: false },
    expected: { thinking: 'plan', answer: 'Intro.\n\nBody.', thoughtClosed: true },
  },
  {
    name: 'tags inside the answer stay text',
    reply: 'thought</think>Use `<think>` and `</think>` tags.',
    expected: { thinking: 'thought', answer: 'Use `<think>` and `</think>` tags.', thoughtClosed: true },
  },
  {
    name: 'angle brackets that are not tags',
    reply: '<thin ice> and </thinking> and <</think><b>x</b> <',
    expected: { thinking: '<thin ice> and </thinking> and <', answer: '<b>x</b> <', thoughtClosed: true },
  },
  {
    name: 'only the start of an opening tag',
    reply: '<thi',
    expected: { thinking: '<thi', answer: '', thoughtClosed: false },
  },
  {
    name: 'empty reply',
    reply: '',
    expected: { thinking: '', answer: '', thoughtClosed: false },
  },
];

describe('ThinkSplitter', () => {
  for (const { name, reply, options, expected } of CASES) {
    it(`splits: ${name}`, () => {
      expect(ThinkSplitter.split(reply, options)).toEqual(expected);
    });

    it(`gives the same split at every chunk boundary: ${name}`, () => {
      for (let cut = 0; cut <= reply.length; cut++) {
        expect(feed([reply.slice(0, cut), reply.slice(cut)], options), `cut at ${cut}`).toEqual(expected);
      }
      for (let first = 0; first <= reply.length; first++) {
        for (let second = first; second <= reply.length; second++) {
          const pieces = [reply.slice(0, first), reply.slice(first, second), reply.slice(second)];
          expect(feed(pieces, options)).toEqual(expected);
        }
      }
    });

    it(`never shows a partial tag while streaming: ${name}`, () => {
      const splitter = new ThinkSplitter(options);
      for (const char of reply) {
        splitter.push(char);
        // Whatever is shown mid-stream is a prefix of the final part: nothing shown is taken back.
        expect(expected.thinking.startsWith(splitter.thinking)).toBe(true);
        expect(expected.answer.startsWith(splitter.answer)).toBe(true);
      }
    });
  }

  it('reports the phase as the reply streams', () => {
    const splitter = new ThinkSplitter();
    expect(splitter.phase).toBe('thinking');
    splitter.push('Hmm, let me think. </th');
    expect(splitter.phase).toBe('thinking');
    expect(splitter.thinking).toBe('Hmm, let me think.');
    splitter.push('ink>\n\n');
    expect(splitter.phase).toBe('answering');
    expect(splitter.thoughtClosed).toBe(true);
    expect(splitter.answer).toBe('');
    splitter.push('Done.');
    expect(splitter.answer).toBe('Done.');
  });

  it('starts in the answering phase when the template does not open the thought', () => {
    const splitter = new ThinkSplitter({ startsInThought: false });
    expect(splitter.phase).toBe('answering');
    splitter.push('<think>');
    expect(splitter.phase).toBe('thinking');
  });

  it('holds back a possible tag until the next chunk settles it', () => {
    const splitter = new ThinkSplitter();
    splitter.push('a </');
    expect(splitter.thinking).toBe('a');
    splitter.push('b>');
    expect(splitter.thinking).toBe('a </b>');
  });
});

describe('stripThinking', () => {
  it('keeps only the answer', () => {
    expect(stripThinking('Reasoning here.\n</think>\n\nFinal answer.')).toBe('Final answer.');
    expect(stripThinking('<think>x</think>y')).toBe('y');
  });

  it('drops a reply that never left its thought', () => {
    expect(stripThinking('Still thinking about')).toBe('');
  });

  it('keeps untagged text when the template does not open the thought', () => {
    expect(stripThinking('Plain answer.', { startsInThought: false })).toBe('Plain answer.');
  });
});
