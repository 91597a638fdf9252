/**
 * Real token counts for fitting prompts, from the loaded model's tokenizer in the engine worker,
 * cached per text: a conversation's messages are counted once, not on every render. The meter reads
 * counts synchronously (an estimate stands in until the worker answers, then it updates); a send
 * waits for them. Where the runtime has no tokenizer to offer, the estimate stays.
 */
import { estimateTokens, type CountTokens } from '../chat/context';
import { countTokens } from '../engine/bridge';

const MAX_KEPT = 5000;

export class TokenCounts {
  #modelId: string | undefined;
  // Plain collections on purpose: fitting reads them inside renders; #revision says when they changed.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #counts = new Map<string, number>();
  /** The loaded model's runtime offers no tokenizer: estimate without asking again. */
  #unavailable = false;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #queued = new Set<string>();
  #flushing = false;
  /** Bumped when counts arrive, so whatever was fitted with estimates is fitted again. */
  #revision = $state(0);

  /** Texts whose real count is known (tests and diagnostics). */
  get known(): number {
    void this.#revision;
    return this.#counts.size;
  }

  /**
   * A count function for `modelId`'s prompts: the real count where known; otherwise the estimate,
   * and the real count is asked for in the background.
   */
  counter(modelId: string | undefined): CountTokens {
    void this.#revision;
    if (!this.#use(modelId) || this.#unavailable) return estimateTokens;
    return (text) => {
      const known = this.#counts.get(text);
      if (known !== undefined) return known;
      this.#queue(text);
      return estimateTokens(text);
    };
  }

  /** Counts `texts` with `modelId`'s tokenizer now; resolves once they are known (or cannot be). */
  async ensure(modelId: string | undefined, texts: string[]): Promise<void> {
    if (!this.#use(modelId) || this.#unavailable) return;
    const missing = texts.filter((text, i) => !this.#counts.has(text) && texts.indexOf(text) === i);
    if (missing.length > 0) await this.#fetch(missing);
  }

  /** Switches the cache to `modelId` (counts belong to one tokenizer); false when none is loaded. */
  #use(modelId: string | undefined): modelId is string {
    if (modelId !== this.#modelId) {
      this.#modelId = modelId;
      this.#counts.clear();
      this.#queued.clear();
      this.#unavailable = false;
    }
    return modelId !== undefined;
  }

  #queue(text: string): void {
    this.#queued.add(text);
    if (this.#flushing) return;
    this.#flushing = true;
    // After the render that asked: one worker call for every text it met.
    queueMicrotask(() => {
      const texts = [...this.#queued];
      this.#queued.clear();
      void this.#fetch(texts).finally(() => {
        this.#flushing = false;
        if (this.#queued.size > 0) this.#queue([...this.#queued][0]);
      });
    });
  }

  async #fetch(texts: string[]): Promise<void> {
    const modelId = this.#modelId;
    if (modelId === undefined || texts.length === 0) return;
    let counts: number[] | undefined;
    try {
      counts = await countTokens(modelId, texts);
    } catch (cause) {
      // Counting is an optimisation: the estimate is always safe to fall back on.
      console.warn('[tokens] counting failed', cause);
      return;
    }
    if (modelId !== this.#modelId) return;
    if (!counts) {
      this.#unavailable = true;
      return;
    }
    // Texts of messages long gone (edited drafts, other conversations) need not stay forever.
    if (this.#counts.size + texts.length > MAX_KEPT) this.#counts.clear();
    texts.forEach((text, i) => this.#counts.set(text, counts[i]));
    this.#revision++;
  }
}
