import { beforeEach, describe, expect, it, vi } from 'vitest';
import { estimateTokens } from '../../src/lib/chat/context';
import { TokenCounts } from '../../src/lib/state/token-counts.svelte';

const bridge = vi.hoisted(() => ({
  countTokens: vi.fn<(modelId: string, texts: string[]) => Promise<number[] | undefined>>(),
}));
vi.mock('../../src/lib/engine/bridge', () => bridge);

/** The "tokenizer": one token per word. */
const words = async (_modelId: string, texts: string[]) => texts.map((text) => text.split(/\s+/).length);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  bridge.countTokens.mockReset();
  bridge.countTokens.mockImplementation(words);
});

describe('TokenCounts', () => {
  const text = 'the tide at pier seven is high at noon';

  it('estimates until the real count arrives, then gives the real one, asking once per text', async () => {
    const counts = new TokenCounts();
    expect(counts.counter('tiny-r1')(text)).toBe(estimateTokens(text));
    await settle();
    expect(counts.counter('tiny-r1')(text)).toBe(9);
    expect(counts.counter('tiny-r1')(text)).toBe(9);
    expect(bridge.countTokens).toHaveBeenCalledTimes(1);
    expect(bridge.countTokens).toHaveBeenCalledWith('tiny-r1', [text]);
  });

  it('counts every text a render meets in one worker call', async () => {
    const counts = new TokenCounts();
    const count = counts.counter('tiny-r1');
    count('one two');
    count('three');
    count('one two');
    await settle();
    expect(bridge.countTokens).toHaveBeenCalledTimes(1);
    expect(bridge.countTokens).toHaveBeenCalledWith('tiny-r1', ['one two', 'three']);
  });

  it('ensure() waits for the counts, and asks only for texts not yet known', async () => {
    const counts = new TokenCounts();
    await counts.ensure('tiny-r1', ['a b', 'c']);
    await counts.ensure('tiny-r1', ['a b', 'c', 'd e f']);
    expect(bridge.countTokens).toHaveBeenNthCalledWith(2, 'tiny-r1', ['d e f']);
    const count = counts.counter('tiny-r1');
    expect([count('a b'), count('c'), count('d e f')]).toEqual([2, 1, 3]);
  });

  it('forgets the counts when another model is loaded, and estimates with no model', async () => {
    const counts = new TokenCounts();
    await counts.ensure('tiny-r1', [text]);
    expect(counts.counter(undefined)(text)).toBe(estimateTokens(text));
    expect(counts.known).toBe(0);
    bridge.countTokens.mockResolvedValue([42]);
    await counts.ensure('tiny-r1-direct', [text]);
    expect(counts.counter('tiny-r1-direct')(text)).toBe(42);
  });

  it('keeps estimating, without asking again, where the runtime has no tokenizer (WebLLM)', async () => {
    bridge.countTokens.mockResolvedValue(undefined);
    const counts = new TokenCounts();
    await counts.ensure('webllm-7b', [text]);
    expect(counts.counter('webllm-7b')(text)).toBe(estimateTokens(text));
    await settle();
    expect(bridge.countTokens).toHaveBeenCalledTimes(1);
  });

  it('falls back to the estimate when counting fails', async () => {
    bridge.countTokens.mockRejectedValue(new Error('worker gone'));
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const counts = new TokenCounts();
    await counts.ensure('tiny-r1', [text]);
    expect(counts.counter('tiny-r1')(text)).toBe(estimateTokens(text));
  });
});
