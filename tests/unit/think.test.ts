import { describe, expect, it } from 'vitest';
import { stripThinking, ThinkSplitter, type ThinkOptions, type ThinkSplit } from '../../src/lib/chat/think';

/** Feeds `pieces` one by one and returns the split once finished. */
function feed(pieces: readonly string[], options?: ThinkOptions): ThinkSplit {
  const splitter = new ThinkSplitter(options);
  for (const piece of pieces) splitter.push(piece);
  splitter.finish();
  return {
    thinking: splitter.thinking,
    answer: splitter.answer,
    thoughtClosed: splitter.thoughtClosed,
    inThought: splitter.inThought,
  };
}

// Replies stored before the runtime streamed the template's opening tag begin inside the thought.
const legacy: ThinkOptions = { startsInThought: true };

const CASES: readonly { name: string; reply: string; options?: ThinkOptions; expected: ThinkSplit }[] = [
  {
    name: 'reply whose first delta is the opening the template put in the prompt',
    reply: '<think>\nOkay, 2 + 2.\nThat is 4.\n</think>\n\nThe answer is **4**.',
    expected: {
      thinking: 'Okay, 2 + 2.\nThat is 4.',
      answer: 'The answer is **4**.',
      thoughtClosed: true,
      inThought: false,
    },
  },
  {
    name: 'stored before the opening was streamed: begins inside the thought',
    reply: 'Okay, 2 + 2.\nThat is 4.\n</think>\n\nThe answer is **4**.',
    options: legacy,
    expected: {
      thinking: 'Okay, 2 + 2.\nThat is 4.',
      answer: 'The answer is **4**.',
      thoughtClosed: true,
      inThought: false,
    },
  },
  {
    name: 'opening tag after whitespace',
    reply: '\n\n  <think>Hmm.</think>Hi',
    expected: { thinking: 'Hmm.', answer: 'Hi', thoughtClosed: true, inThought: false },
  },
  {
    name: 'empty thought',
    reply: '<think>\n\n</think>\n\nHello there.',
    expected: { thinking: '', answer: 'Hello there.', thoughtClosed: true, inThought: false },
  },
  {
    name: 'closing tag right at the start',
    reply: '</think>\n\nJust the answer.',
    options: legacy,
    expected: { thinking: '', answer: 'Just the answer.', thoughtClosed: true, inThought: false },
  },
  {
    name: 'stopped mid-thought: all thinking',
    reply: '<think>\nI need to consider the case where x < 0 and </th',
    expected: {
      thinking: 'I need to consider the case where x < 0 and </th',
      answer: '',
      thoughtClosed: false,
      inThought: true,
    },
  },
  {
    name: 'no tags at all: the model answered without thinking',
    reply: '  The answer is 4.',
    expected: { thinking: '', answer: 'The answer is 4.', thoughtClosed: false, inThought: false },
  },
  {
    name: 'text before <think> is answer',
    reply: 'Intro.\n\n<think>plan</think>\n\nBody.',
    expected: { thinking: 'plan', answer: 'Intro.\n\nBody.', thoughtClosed: true, inThought: false },
  },
  {
    name: 'tags inside the answer stay text',
    reply: '<think>thought</think>Use `<think>` and `</think>` tags.',
    expected: {
      thinking: 'thought',
      answer: 'Use `<think>` and `</think>` tags.',
      thoughtClosed: true,
      inThought: false,
    },
  },
  {
    name: 'angle brackets that are not tags',
    reply: '<think><thin ice> and </thinking> and <</think><b>x</b> <',
    expected: {
      thinking: '<thin ice> and </thinking> and <',
      answer: '<b>x</b> <',
      thoughtClosed: true,
      inThought: false,
    },
  },
  {
    name: 'only the start of an opening tag',
    reply: '<thi',
    expected: { thinking: '', answer: '<thi', thoughtClosed: false, inThought: false },
  },
  {
    name: 'empty reply',
    reply: '',
    expected: { thinking: '', answer: '', thoughtClosed: false, inThought: false },
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
    expect(splitter.phase).toBe('answering');
    splitter.push('<think>\nHmm, let me think. </th');
    expect(splitter.phase).toBe('thinking');
    expect(splitter.thinking).toBe('Hmm, let me think.');
    splitter.push('ink>\n\n');
    expect(splitter.phase).toBe('answering');
    expect(splitter.thoughtClosed).toBe(true);
    expect(splitter.answer).toBe('');
    splitter.push('Done.');
    expect(splitter.answer).toBe('Done.');
  });

  it('starts in the thinking phase when told the thought began before the reply', () => {
    const splitter = new ThinkSplitter(legacy);
    expect(splitter.phase).toBe('thinking');
    splitter.push('x</think>');
    expect(splitter.phase).toBe('answering');
  });

  it('holds back a possible tag until the next chunk settles it', () => {
    const splitter = new ThinkSplitter();
    splitter.push('<think>a </');
    expect(splitter.thinking).toBe('a');
    splitter.push('b>');
    expect(splitter.thinking).toBe('a </b>');
  });
});

describe('split without options', () => {
  it('reads a reply with no tags as an answer, never as a thought', () => {
    expect(ThinkSplitter.split('The answer is 4.')).toMatchObject({
      thinking: '',
      answer: 'The answer is 4.',
    });
  });

  it('reads an unopened </think> as a thought that began before the reply', () => {
    expect(ThinkSplitter.split('Reasoning.\n</think>\n\nAnswer.')).toMatchObject({
      thinking: 'Reasoning.',
      answer: 'Answer.',
    });
    expect(ThinkSplitter.split('Use `</think>` after <think>')).toMatchObject({ thinking: 'Use `' });
  });
});

describe('stripThinking', () => {
  it('keeps only the answer', () => {
    expect(stripThinking('Reasoning here.\n</think>\n\nFinal answer.')).toBe('Final answer.');
    expect(stripThinking('<think>x</think>y')).toBe('y');
  });

  it('drops a thought that never closed', () => {
    expect(stripThinking('<think>\nStill thinking about')).toBe('');
  });

  it('keeps a reply that never thought', () => {
    expect(stripThinking('Plain answer.')).toBe('Plain answer.');
  });
});
