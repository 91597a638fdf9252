// Markdown for a reply that grows token by token. Re-rendering the whole reply on every token costs
// more per token as the reply grows; here each finished block (see blocks.ts) is rendered once and
// kept, and only the last, open block is rendered again, so each update costs about the same.
// Block-wise is not whole-wise (a reference link defined in another block, a loose list, some HTML
// blocks come out differently), so that is only for while the reply streams: a finished or stored
// message is rendered whole (`finish`), exactly as its source.
import { BlockSplitter } from './blocks';
import { escapeHtml } from './escape';
import { OPEN_PLAIN_CHARS } from './limits';
import { renderMarkdown, type MarkdownOptions } from './render';

/** One rendered top-level block; `key` stays the same from the moment the block appears. */
export interface MarkdownBlock {
  readonly key: string;
  readonly html: string;
}

export interface StreamingOptions extends MarkdownOptions {
  /** Renders one block's source; defaults to `renderMarkdown` (tests pass a spy). */
  render?: (source: string) => string;
}

// Enough of the previous source's end to notice that a new source is not its continuation.
const SEAM_LENGTH = 64;

/** Renders a growing markdown source block by block, re-rendering only the open block. */
export class StreamingMarkdown {
  readonly #render: (source: string) => string;
  readonly #renderWhole: (source: string) => string;
  readonly #splitter = new BlockSplitter();
  #finished: MarkdownBlock[] = [];
  #open: MarkdownBlock | undefined;
  #openSource = '';
  /** The open block is shown as plain text (too long to render again on every update). */
  #openPlain = false;
  #seenLength = 0;
  #seenTail = '';
  #renders = 0;
  #whole: { source: string; blocks: readonly MarkdownBlock[] } | undefined;

  constructor(options: StreamingOptions = {}) {
    const { render, mathNow, ...labels } = options;
    this.#render = render ?? ((source) => renderMarkdown(source, labels));
    // Only a finished render leaves formulas for later (`mathNow`): a streaming block is re-rendered.
    this.#renderWhole = render ?? ((source) => renderMarkdown(source, { ...labels, mathNow }));
  }

  /** The blocks as of the last update. */
  get blocks(): readonly MarkdownBlock[] {
    return this.#open ? [...this.#finished, this.#open] : [...this.#finished];
  }

  /**
   * The open block when it is shown as plain text, with its source: once the reply ends, the caller
   * renders that source (in steps: it is long) in its place.
   */
  get plainOpen(): { key: string; source: string } | undefined {
    return this.#open && this.#openPlain ? { key: this.#open.key, source: this.#openSource } : undefined;
  }

  /** How many times a block has been rendered (for tests and benchmarks). */
  get renderCount(): number {
    return this.#renders;
  }

  /**
   * Takes the whole source so far. A source that does not continue the previous one (another
   * message, a regenerated reply) starts over.
   */
  update(source: string): readonly MarkdownBlock[] {
    if (!this.#continues(source)) this.reset();
    this.#seenLength = source.length;
    this.#seenTail = source.slice(-SEAM_LENGTH);
    let start = this.#splitter.openStart;
    for (const end of this.#splitter.advance(source)) {
      this.#finish(start, source.slice(start, end));
      start = end;
    }
    this.#renderOpen(start, source.slice(start));
    return this.blocks;
  }

  /** The finished source rendered whole, as one block (rendered again only if it changed). */
  finish(source: string): readonly MarkdownBlock[] {
    if (this.#whole?.source !== source) {
      const blocks =
        source.trim() === '' ? [] : [{ key: 'whole', html: this.#renderBlock(source, this.#renderWhole) }];
      this.#whole = { source, blocks };
    }
    return this.#whole.blocks;
  }

  reset(): void {
    this.#splitter.reset();
    this.#finished = [];
    this.#open = undefined;
    this.#openSource = '';
    this.#openPlain = false;
    this.#seenLength = 0;
    this.#seenTail = '';
  }

  #continues(source: string): boolean {
    return (
      source.length >= this.#seenLength &&
      source.startsWith(this.#seenTail, this.#seenLength - this.#seenTail.length)
    );
  }

  #finish(start: number, blockSource: string): void {
    if (blockSource.trim() === '') return;
    // The open block was usually last rendered from this very text (give or take blank lines).
    const html =
      this.#open?.key === String(start) &&
      !this.#openPlain &&
      this.#openSource.trimEnd() === blockSource.trimEnd()
        ? this.#open.html
        : this.#renderBlock(blockSource);
    this.#finished.push({ key: String(start), html });
    this.#open = undefined;
    this.#openSource = '';
    this.#openPlain = false;
  }

  #renderOpen(start: number, blockSource: string): void {
    if (blockSource.trim() === '') {
      this.#open = undefined;
      this.#openPlain = false;
    } else if (this.#open?.key !== String(start) || blockSource !== this.#openSource) {
      this.#openPlain = blockSource.length > OPEN_PLAIN_CHARS;
      const html = this.#openPlain
        ? `<p class="open-plain">${escapeHtml(blockSource)}</p>`
        : this.#renderBlock(blockSource);
      this.#open = { key: String(start), html };
    }
    this.#openSource = blockSource;
  }

  #renderBlock(blockSource: string, render = this.#render): string {
    this.#renders += 1;
    return render(blockSource);
  }
}
