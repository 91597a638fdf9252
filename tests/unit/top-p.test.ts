import { Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { keepTopP, TopPLogitsProcessor } from '../../workers/runtimes/top-p';

/** Logits whose softmax is exactly `probabilities`. */
const logitsOf = (probabilities: number[]) => Float32Array.from(probabilities, Math.log);

describe('keepTopP', () => {
  it('keeps the smallest set of the most likely tokens reaching top-p, and masks the rest', () => {
    const logits = logitsOf([0.05, 0.5, 0.1, 0.3, 0.05]);
    keepTopP(logits, 0.75);
    expect(Array.from(logits, (value) => value === -Infinity)).toEqual([true, false, true, false, true]);
    expect(logits[1]).toBeCloseTo(Math.log(0.5));
  });

  it('counts the token that crosses top-p in', () => {
    const logits = logitsOf([0.05, 0.5, 0.1, 0.3, 0.05]);
    keepTopP(logits, 0.85);
    expect(Array.from(logits, (value) => value !== -Infinity)).toEqual([false, true, true, true, false]);
  });

  it('always keeps the most likely token, and keeps everything at top-p 1', () => {
    const one = logitsOf([0.2, 0.7, 0.1]);
    keepTopP(one, 0.01);
    expect(Array.from(one, (value) => value !== -Infinity)).toEqual([false, true, false]);
    const all = logitsOf([0.2, 0.7, 0.1]);
    keepTopP(all, 1);
    expect(all.every((value) => value !== -Infinity)).toBe(true);
  });

  it('reads logits after temperature as they are (softmax of the scaled values)', () => {
    // softmax([2, 1, 0]) = [0.665, 0.245, 0.090]: top-p 0.9 needs the first two only.
    const logits = Float32Array.from([0, 2, 1]);
    keepTopP(logits, 0.9);
    expect(Array.from(logits)).toEqual([-Infinity, 2, 1]);
  });
});

/** The textbook version: sort everything, walk down until the mass reaches top-p. */
function naiveCut(logits: Float32Array, topP: number): number {
  const sorted = Array.from(logits).sort((a, b) => b - a);
  const max = sorted[0];
  const total = sorted.reduce((sum, value) => sum + Math.exp(value - max), 0);
  let cumulative = 0;
  for (const value of sorted) {
    cumulative += Math.exp(value - max) / total;
    if (cumulative >= topP) return value;
  }
  return sorted[sorted.length - 1];
}

describe('keepTopP over a real-sized vocabulary', () => {
  // Sorting 151,936 logits three times is slow on a loaded machine: a generous limit, not a timing check.
  it('cuts exactly where sorting every logit would', { timeout: 60_000 }, () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    for (const spread of [1, 4, 12]) {
      const logits = Float32Array.from({ length: 151_936 }, () => random() * spread);
      const cut = naiveCut(logits, 0.95);
      const kept = Float32Array.from(logits);
      keepTopP(kept, 0.95);
      expect(kept.filter((value) => value !== -Infinity).length).toBe(
        logits.filter((value) => value >= cut).length,
      );
    }
  });
});

describe('TopPLogitsProcessor', () => {
  it('filters every row of a [batch, vocab] logits tensor in place, as generate passes it', () => {
    const data = Float32Array.from([...logitsOf([0.6, 0.3, 0.1]), ...logitsOf([0.1, 0.1, 0.8])]);
    const logits = new Tensor('float32', data, [2, 3]);
    const out = new TopPLogitsProcessor(0.7)([[1n], [2n]], logits) as Tensor;
    expect(out).toBe(logits);
    expect(Array.from(data, (value) => value !== -Infinity)).toEqual([true, true, false, false, false, true]);
  });
});
