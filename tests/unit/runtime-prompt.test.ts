/**
 * The transformers.js prompt path against the generated fixtures, which carry the real
 * R1-Distill-Qwen tokenizer (Qwen's BPE, DeepSeek's added tokens and ids) and both versions of its
 * chat template: whether the prompt opened the thought is read from the rendered prompt.
 */
import {
  AutoTokenizer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ThinkSplitter } from '../../src/lib/chat/think';
import type { ChatTurn } from '../../src/shared/engine';
import { promptFor, stopTokenIds } from '../../workers/runtimes/transformers-generate';
import { ensureTinyModels } from '../fixtures/ensure-tiny-models.mjs';

const BOS = '<｜begin▁of▁sentence｜>';
const user = (content: string): ChatTurn => ({ role: 'user', content });
const assistant = (content: string): ChatTurn => ({ role: 'assistant', content });

let opens: PreTrainedTokenizer;
let plain: PreTrainedTokenizer;

beforeAll(async () => {
  ensureTinyModels();
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = new URL('../fixtures/models/', import.meta.url).pathname;
  opens = await AutoTokenizer.from_pretrained('harbour-test/tiny-r1');
  plain = await AutoTokenizer.from_pretrained('harbour-test/tiny-r1-plain');
}, 180_000);

describe('the prompt from the real template', () => {
  it('says the thought is open when the template ends in <think>\\n (DeepSeek since 2025-02-09)', () => {
    const prompt = promptFor(opens, [user('Hi')]);
    expect(prompt.text).toBe(`${BOS}<｜User｜>Hi<｜Assistant｜><think>\n`);
    expect(prompt.opening).toBe('<think>\n');
    expect(prompt.ids).toEqual([151646, 151644, 13048, 151645, 151648, 198]);
  });

  it('says nothing is open when the template ends at <｜Assistant｜> (the first upload, and MLC)', () => {
    const prompt = promptFor(plain, [user('Hi')]);
    expect(prompt.text).toBe(`${BOS}<｜User｜>Hi<｜Assistant｜>`);
    expect(prompt.opening).toBe('');
  });

  it('so a streamed reply with no tags from the plain template is an answer, not a thought', () => {
    const reply = promptFor(plain, [user('Hi')]).opening + 'The answer is 4.';
    expect(ThinkSplitter.split(reply)).toMatchObject({ thinking: '', answer: 'The answer is 4.' });
    const thought = promptFor(opens, [user('Hi')]).opening + 'Let me see';
    expect(ThinkSplitter.split(thought)).toMatchObject({ thinking: 'Let me see', answer: '' });
  });

  it('continues a trailing assistant turn right after the generation prompt, with no end of turn', () => {
    const streamed = '<think>\nSomeone wrote';
    const continued = promptFor(opens, [user('Hi'), assistant(streamed)]);
    expect(continued.text).toBe(`${BOS}<｜User｜>Hi<｜Assistant｜><think>\nSomeone wrote`);
    expect(continued.opening).toBe('');
    expect(promptFor(plain, [user('Hi'), assistant(streamed)]).text).toBe(
      `${BOS}<｜User｜>Hi<｜Assistant｜><think>\nSomeone wrote`,
    );
    // A reply saved before the opening was streamed continues the same way.
    expect(promptFor(opens, [user('Hi'), assistant('Someone wrote')]).text).toBe(continued.text);
  });

  it("keeps each turn's prompt up to <｜Assistant｜> a token prefix of the next turn's", () => {
    const first = promptFor(opens, [user('你好，請介紹一下你自己。')]).ids;
    const next = promptFor(opens, [
      user('你好，請介紹一下你自己。'),
      assistant('Hello from **Harbour Chat**!'),
      user('Again'),
    ]).ids;
    const kept = first.slice(0, first.lastIndexOf(151645) + 1);
    expect(next.slice(0, kept.length)).toEqual(kept);
    expect(next.length).toBeGreaterThan(kept.length);
  });
});

describe('stop tokens', () => {
  it("stop on the generation config's EOS ids and on every turn marker", () => {
    const model = { generation_config: { eos_token_id: [151643, 151645] } } as unknown as PreTrainedModel;
    expect(stopTokenIds(model, opens).sort()).toEqual([151643, 151644, 151645]);
  });
});
