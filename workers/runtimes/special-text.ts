/**
 * Keeps DeepSeek's control-token text out of a streamed reply. Only <｜end▁of▁sentence｜> and
 * <｜begin▁of▁sentence｜> are `special` in R1-Distill's tokenizer, so decoding with
 * skip_special_tokens still prints <｜User｜>, <｜Assistant｜> (an EOS in the 1.5B's generation
 * config) and the tool markers. The runtimes stop on them; this is the last guard for any that
 * still reach the text: markers are dropped whole, a possible marker split across deltas is held
 * back until the next delta settles it.
 */
const MARKER = /<｜[^｜<>\n]{1,40}｜>/gu;
const OPEN = '<｜';

export class MarkerFilter {
  #held = '';

  /** The part of `delta` that can be shown now. */
  push(delta: string): string {
    const text = (this.#held + delta).replace(MARKER, '');
    const open = text.lastIndexOf(OPEN);
    const partial = open !== -1 && !text.includes('｜>', open + OPEN.length) && text.length - open < 44;
    const tail = text.endsWith('<') ? 1 : 0;
    const cut = partial ? open : text.length - tail;
    this.#held = text.slice(cut);
    return text.slice(0, cut);
  }

  /** What was held back, once the stream has ended (it was not a marker). */
  finish(): string {
    const held = this.#held;
    this.#held = '';
    return held;
  }
}
