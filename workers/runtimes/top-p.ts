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
 *
 * Only tokens above probability (1 - topP) / vocabulary are sorted: together the others weigh at
 * most 1 - topP, so the cut is always among the first. Over 151,936 logits per token that spares a
 * full sort on every decode step.
 */
export function keepTopP(logits: Float32Array, topP: number): void {
  if (topP >= 1 || logits.length === 0) return;
  let max = -Infinity;
  for (const value of logits) if (value > max) max = value;
  let total = 0;
  for (const value of logits) total += Math.exp(value - max);
  const floor = ((1 - topP) / logits.length) * total;
  const candidates = logits.filter((value) => Math.exp(value - max) > floor).sort();
  let cumulative = 0;
  let cut = max;
  for (let i = candidates.length - 1; i >= 0; i--) {
    cut = candidates[i];
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
