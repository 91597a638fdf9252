// A finished reply too big to render in one task (a model caught in a loop, a pasted log or data
// dump) is rendered a few blocks at a time, each step a separate task. It is cut where a streaming
// reply is cut (blocks.ts), so it reads as it did while it streamed: block-wise, not whole-wise (see
// streaming.ts for the few constructs that differ). One block bigger than a step is still one step.
import { BlockSplitter } from './blocks';
import { renderMarkdown, type MarkdownOptions } from './render';
import type { MarkdownBlock } from './streaming';

/** About how much source one step renders. */
const STEP_CHARS = 12_000;

/** The offsets where `source`'s top-level blocks end (the last is its length). */
export function blockEnds(source: string): number[] {
  const ends = new BlockSplitter().advance(source).filter((end) => end > 0);
  if (ends.at(-1) !== source.length) ends.push(source.length);
  return ends;
}

/** Renders a finished source in steps of a few blocks. */
export class ProgressiveMarkdown {
  readonly #source: string;
  readonly #options: MarkdownOptions;
  readonly #ends: number[];
  #next = 0;
  #start = 0;
  #blocks: MarkdownBlock[] = [];

  constructor(source: string, options: MarkdownOptions = {}) {
    this.#source = source;
    this.#options = options;
    this.#ends = blockEnds(source);
  }

  /** The blocks rendered so far, in order. */
  get blocks(): readonly MarkdownBlock[] {
    return this.#blocks;
  }

  get done(): boolean {
    return this.#next >= this.#ends.length;
  }

  /** Renders the next blocks, about `chars` of source (at least one block); true once all are done. */
  step(chars = STEP_CHARS): boolean {
    if (this.done) return true;
    const start = this.#start;
    let end = start;
    while (!this.done && end - start < chars) end = this.#ends[this.#next++] ?? this.#source.length;
    const part = this.#source.slice(start, end);
    this.#start = end;
    if (part.trim() !== '') {
      this.#blocks = [...this.#blocks, { key: String(start), html: renderMarkdown(part, this.#options) }];
    }
    return this.done;
  }
}
