// A DeepSeek-R1 reply is "<think> thought </think> answer", and the model may skip the thought. When a
// chat template opens the thought itself (DeepSeek's ends the prompt with "<think>\n"), the runtime
// streams that opening as the reply's first delta (src/shared/engine.ts), so a stored reply always
// says where its thought begins: text before any tag is answer, and a reply with no tags is all answer.
// Replies stored before that rule begin inside the thought with only a closing tag; split() reads an
// unopened </think> as that. Tags can arrive split across stream chunks, so a possible tag prefix is
// held back until the next chunk settles it; nothing partial ever shows in either part.

const OPEN_TAG = '<think>';
const CLOSE_TAG = '</think>';

export type ThinkPhase = 'thinking' | 'answering';

export interface ThinkOptions {
  /**
   * True when the reply begins inside a thought opened before it (no opening tag in the text).
   * Default false; split() infers it from an unopened </think>.
   */
  startsInThought?: boolean;
}

export interface ThinkSplit {
  thinking: string;
  answer: string;
  /** True once the thought has closed. */
  thoughtClosed: boolean;
  /** True when the reply ended (or is still) inside an open thought. */
  inThought: boolean;
}

/** Whether `text` closes a thought it never opened (a reply that began inside the thought). */
export function closesUnopenedThought(text: string): boolean {
  const close = text.indexOf(CLOSE_TAG);
  if (close === -1) return false;
  const open = text.indexOf(OPEN_TAG);
  return open === -1 || open > close;
}

// start: nothing but whitespace yet, an opening tag may still come; beforeThought: answer text that
// may still be followed by a thought (startsInThought: false only); afterThought: no tags matter.
type SplitState = 'start' | 'beforeThought' | 'inThought' | 'afterThought';

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialTagLength(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(tag.slice(0, length))) return length;
  }
  return 0;
}

/** Incrementally splits a streamed reply into its thinking and its answer. */
export class ThinkSplitter {
  readonly #startsInThought: boolean;
  #state: SplitState = 'start';
  #held = '';
  #thinking = '';
  #answer = '';
  #trimAnswerStart = true;

  constructor(options: ThinkOptions = {}) {
    this.#startsInThought = options.startsInThought ?? false;
  }

  /** The reasoning so far, trimmed. */
  get thinking(): string {
    return this.#thinking.trim();
  }

  /** The answer so far, trimmed (whitespace after </think> never shows). */
  get answer(): string {
    return this.#answer.trimEnd();
  }

  get phase(): ThinkPhase {
    if (this.#state === 'inThought') return 'thinking';
    if (this.#state === 'start') return this.#startsInThought ? 'thinking' : 'answering';
    return 'answering';
  }

  get thoughtClosed(): boolean {
    return this.#state === 'afterThought';
  }

  /** True while the reply is inside an open thought. */
  get inThought(): boolean {
    return this.phase === 'thinking';
  }

  /** Feeds the next piece of the streamed reply. */
  push(chunk: string): void {
    let text = this.#held + chunk;
    this.#held = '';
    while (text !== '') text = this.#consume(text);
  }

  /** Ends the stream: text held back as a possible tag prefix was not a tag after all. */
  finish(): void {
    const held = this.#held;
    this.#held = '';
    if (held === '') return;
    if (this.#state === 'start') this.#state = this.#startsInThought ? 'inThought' : 'beforeThought';
    this.#append(held);
  }

  /** Splits a complete reply (or one still streaming: a partial tag stays in the text). */
  static split(text: string, options: ThinkOptions = {}): ThinkSplit {
    const startsInThought = options.startsInThought ?? closesUnopenedThought(text);
    const splitter = new ThinkSplitter({ startsInThought });
    splitter.push(text);
    splitter.finish();
    return {
      thinking: splitter.thinking,
      answer: splitter.answer,
      thoughtClosed: splitter.thoughtClosed,
      inThought: splitter.inThought,
    };
  }

  /** Consumes a prefix of `text` and returns the rest still to consume. */
  #consume(text: string): string {
    switch (this.#state) {
      case 'start':
        return this.#consumeStart(text);
      case 'beforeThought':
        return this.#consumeUntil(text, OPEN_TAG, 'inThought');
      case 'inThought':
        return this.#consumeUntil(text, CLOSE_TAG, 'afterThought');
      case 'afterThought':
        this.#append(text);
        return '';
    }
  }

  #consumeStart(text: string): string {
    const body = text.trimStart();
    if (body === '') return '';
    if (body.startsWith(OPEN_TAG)) {
      this.#state = 'inThought';
      return body.slice(OPEN_TAG.length);
    }
    if (OPEN_TAG.startsWith(body)) {
      this.#held = body;
      return '';
    }
    this.#state = this.#startsInThought ? 'inThought' : 'beforeThought';
    return body;
  }

  /** Appends text up to `tag` to the current part, then moves to `next`; holds back a partial tag. */
  #consumeUntil(text: string, tag: string, next: SplitState): string {
    const at = text.indexOf(tag);
    if (at >= 0) {
      this.#append(text.slice(0, at));
      this.#state = next;
      // Whitespace right after </think> is the template's, not the answer's.
      if (next === 'afterThought') this.#trimAnswerStart = true;
      return text.slice(at + tag.length);
    }
    const held = partialTagLength(text, tag);
    this.#append(text.slice(0, text.length - held));
    this.#held = text.slice(text.length - held);
    return '';
  }

  #append(text: string): void {
    if (this.#state === 'inThought') {
      this.#thinking += text;
      return;
    }
    if (this.#trimAnswerStart) {
      text = text.trimStart();
      if (text === '') return;
      this.#trimAnswerStart = false;
    }
    this.#answer += text;
  }
}

/** The answer alone: earlier turns' reasoning is not sent back to DeepSeek-R1. */
export function stripThinking(text: string, options?: ThinkOptions): string {
  return ThinkSplitter.split(text, options).answer;
}
