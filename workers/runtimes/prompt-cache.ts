/**
 * KV prefix reuse for transformers.js. The prompt of turn n up to its last "<｜Assistant｜>" is an
 * exact prefix of turn n+1's prompt (the template strips earlier thoughts; added tokens split the
 * text, so the tokens match too), so its past_key_values are kept and only the new text — the
 * stripped answer and the next question — is prefilled. The January 2025 1.5B export has no
 * `num_logits_to_keep` input, so each prefilled token also materialises a 151,936-wide logits row:
 * not prefilling the history again saves that too.
 *
 * Read in transformers.js 4.3.1: `generate` (models/modeling_utils.js) takes `past_key_values`,
 * feeds only the input tokens past `get_seq_length()` (decoder_prepare_inputs_for_generation), and
 * keeps the cache alive when it was passed in or `return_dict_in_generate` is set; each step
 * `update()`s the passed cache in place and disposes the GPU tensors it replaces (cache_utils.js).
 * So the kept cache is extended in place, and each reply runs on a branch that never disposes it.
 */
import { DynamicCache, Tensor, type PreTrainedModel } from '@huggingface/transformers';

function idsTensor(ids: readonly number[]): Tensor {
  return new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
}

function onesTensor(length: number): Tensor {
  return new Tensor('int64', new BigInt64Array(length).fill(1n), [1, length]);
}

/** The model inputs for `ids`, as the tokenizer would give them. */
export function modelInputs(ids: readonly number[]): { input_ids: Tensor; attention_mask: Tensor } {
  return { input_ids: idsTensor(ids), attention_mask: onesTensor(ids.length) };
}

function isPrefix(prefix: readonly number[], ids: readonly number[]): boolean {
  return prefix.length <= ids.length && prefix.every((id, i) => ids[i] === id);
}

/** A cache over the same tensors that never disposes them: a reply extends it, the kept one stays. */
function branch(kept: DynamicCache): DynamicCache {
  const shared = new Set(Object.values(kept));
  const copy = new DynamicCache({ ...kept });
  const release = (tensor: Tensor | undefined) => {
    if (tensor && tensor.location === 'gpu-buffer' && !shared.has(tensor)) tensor.dispose();
  };
  // Not enumerable: transformers.js feeds every enumerable entry of the cache to the model.
  Object.defineProperties(copy, {
    update: {
      value(entries: Record<string, Tensor>) {
        for (const [name, tensor] of Object.entries(entries)) {
          if (copy[name] !== tensor) release(copy[name]);
          copy[name] = tensor;
        }
      },
    },
    dispose: {
      value: async () => {
        for (const tensor of Object.values(copy)) release(tensor);
      },
    },
  });
  return copy;
}

export interface PreparedPrompt {
  /** A cache over the prompt's first tokens, for `generate`; dispose it after the reply. */
  cache: DynamicCache | undefined;
  /** Prompt tokens whose keys and values were already computed before this reply. */
  reusedTokens: number;
}

/** The kept prefix of the last prompt and its past_key_values. */
export class PromptCache {
  #tokens: number[] = [];
  #cache: DynamicCache | undefined;

  /** `enabled: false` prefills every prompt whole (the turn-cost bench's "before"). */
  constructor(private readonly enabled = true) {}

  /**
   * Extends the kept cache to `ids[0, boundary)` (prefilling only what it lacks) and returns a
   * branch of it for the reply. A prompt that does not start with the kept tokens starts afresh.
   */
  async prepare(model: PreTrainedModel, ids: readonly number[], boundary: number): Promise<PreparedPrompt> {
    const end = this.enabled ? Math.min(boundary, ids.length - 1) : 0;
    const kept =
      this.#cache && isPrefix(this.#tokens, ids) && this.#tokens.length <= end ? this.#tokens.length : 0;
    if (kept === 0) await this.clear();
    if (end > kept) {
      const prefix = ids.slice(0, end);
      const result = (await model.generate({
        ...modelInputs(prefix),
        ...(this.#cache ? { past_key_values: this.#cache } : {}),
        max_new_tokens: 1,
        do_sample: false,
        return_dict_in_generate: true,
      })) as unknown as { past_key_values: DynamicCache };
      this.#cache = result.past_key_values;
      this.#tokens = prefix;
    }
    return { cache: this.#cache && branch(this.#cache), reusedTokens: kept };
  }

  async clear(): Promise<void> {
    const cache = this.#cache;
    this.#cache = undefined;
    this.#tokens = [];
    await cache?.dispose();
  }
}
