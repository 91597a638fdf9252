/**
 * Nucleus (top-p) sampling for transformers.js. Its 4.3.1 `generate` never instantiates
 * TopPLogitsWarper (the lines are commented out in models/modeling_utils.js `_get_logits_processor`,
 * and the class has no `_call`), so `top_p` was silently ignored: sampling was temperature plus the
 * default top_k of 50. This processor is passed to `generate` as `logits_processor`, which runs
 * after the temperature warper and before the sampler's top-k.
 */
import { LogitsProcessor, type Tensor } from '@huggingface/transformers';

/**
 * Keeps the smallest set of the highest logits whose probabilities add up to at least `topP`
 * (at least one) and sets the rest to -Infinity, in place. Ties at the cut are kept.
 */
export function keepTopP(logits: Float32Array, topP: number): void {
  if (topP >= 1 || logits.length === 0) return;
  const sorted = Float32Array.from(logits).sort();
  const max = sorted[sorted.length - 1];
  let total = 0;
  for (const value of sorted) total += Math.exp(value - max);
  let cumulative = 0;
  let cut = max;
  for (let i = sorted.length - 1; i >= 0; i--) {
    cut = sorted[i];
    cumulative += Math.exp(cut - max) / total;
    if (cumulative >= topP) break;
  }
  for (let i = 0; i < logits.length; i++) if (logits[i] < cut) logits[i] = -Infinity;
}

/** A transformers.js logits processor applying {@link keepTopP} to every row of the batch. */
export class TopPLogitsProcessor extends LogitsProcessor {
  constructor(readonly topP: number) {
    super();
  }

  override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
    const data = logits.data as Float32Array;
    const vocab = logits.dims.at(-1) ?? data.length;
    for (let row = 0; row < data.length; row += vocab) keepTopP(data.subarray(row, row + vocab), this.topP);
    return logits;
  }
}
