// Markdown for a reply that grows token by token. Re-rendering the whole reply on every token costs
// more per token as the reply grows; here each finished block (see blocks.ts) is rendered once and
// kept, and only the last, open block is rendered again, so each update costs about the same.
// Block-wise is not whole-wise (a reference link defined in another block, a loose list, some HTML
// blocks come out differently), so that is only for while the reply streams: a finished or stored
// message is rendered whole (`finish`), exactly as its source.
// Each update spends at most a budget of time rendering finished blocks. A fast stream hands one
// update hundreds of finished blocks (a formula or a list item each), and rendering them all in one
// task made a long task, so a bigger batch next time, so a longer task (1 MB of markdown: 8,500
// blocks, 5.8 s in one update). Blocks past the budget show as plain text, one run of them per
// update (one element, not thousands: creating them was the next long task), and are rendered by
// later updates, newest first (they are on screen), or by `renderPending` after the end.
import { BlockSplitter } from './blocks';
import { escapeHtml } from './escape';
import { OPEN_PLAIN_CHARS, OPEN_RENDER_MS, renderWeight } from './limits';
import { renderMarkdown, type MarkdownOptions } from './render';

/** One rendered top-level block; `key` stays the same from the moment the block appears. */
export interface MarkdownBlock {
  readonly key: string;
  readonly html: string;
}

export interface StreamingOptions extends MarkdownOptions {
  /** Renders one block's source; defaults to `renderMarkdown` (tests pass a spy). */
  render?: (source: string) => string;
  /** Milliseconds an update may spend on finished blocks (the page: UPDATE_BUDGET_MS); default: no limit. */
  budgetMs?: number;
  /** The clock the budget is counted on; defaults to `performance.now` (tests pass a fake). */
  now?: () => number;
}

/** Finished blocks past an update's budget, shown together as one plain-text block until rendered. */
class PendingRun {
  readonly #blocks: { key: string; source: string }[] = [];
  /** One block too costly for any update's budget: rendered only after the end. */
  readonly long: boolean;
  #shown: MarkdownBlock | undefined;

  #chars = 0;

  constructor(long = false) {
    this.long = long;
  }

  get size(): number {
    return this.#blocks.length;
  }

  /** Characters of source it was given (it only shrinks after). */
  get chars(): number {
    return this.#chars;
  }

  add(key: string, source: string): void {
    this.#blocks.push({ key, source });
    this.#chars += source.length;
    this.#shown = undefined;
  }

  /**
   * Blocks from the run's end, at most `maxWeight` of them together (at least one), taken out as one
   * part, keyed by its first block.
   */
  takePart(maxWeight: number): { key: string; source: string; count: number } | undefined {
    let first = this.#blocks.length;
    let weight = 0;
    for (; first > 0; first--) {
      const next = renderWeight(this.#blocks[first - 1]?.source ?? '');
      if (first < this.#blocks.length && weight + next > maxWeight) break;
      weight += next;
    }
    const taken = this.#blocks.splice(first);
    const key = taken[0]?.key;
    if (key === undefined) return undefined;
    this.#shown = undefined;
    return { key, source: taken.map((block) => block.source).join(''), count: taken.length };
  }

  peek(): { key: string; source: string } | undefined {
    return this.#blocks.at(-1);
  }

  /** The run as one block, keyed by its first block (which leaves the run last). */
  get shown(): MarkdownBlock {
    this.#shown ??= {
      key: this.#blocks[0]?.key ?? '',
      html: plainHtml(
        this.#blocks
          .map((block) => block.source)
          .join('')
          .trimEnd(),
      ),
    };
    return this.#shown;
  }
}

/**
 * How much source (renderWeight) waiting blocks are rendered together, as one part: in an update
 * (about a millisecond of prose, or four display formulas), and after the end. Each render has a
 * fixed cost (the sanitizer's document): 21,000 blocks of 1 MB rendered one by one took seconds more.
 * A part renders as its blocks did, save where streaming.ts's header says block-wise differs.
 */
const UPDATE_PART_WEIGHT = 1_500;
/** Characters per part of a plain open block (see #openParts), and at most per run of waiting blocks. */
const PLAIN_PART_CHARS = 8_000;
const END_PART_WEIGHT = 4_000;

// Enough of the previous source's end to notice that a new source is not its continuation.
const SEAM_LENGTH = 64;

/** Renders a growing markdown source block by block, re-rendering only the open block. */
export class StreamingMarkdown {
  readonly #render: (source: string) => string;
  readonly #renderWhole: (source: string) => string;
  readonly #budgetMs: number;
  readonly #now: () => number;
  readonly #splitter = new BlockSplitter();
  #finished: (MarkdownBlock | PendingRun)[] = [];
  /** How many finished blocks wait in runs; the run that this update's blocks join. */
  #pending = 0;
  #run: PendingRun | undefined;
  #open: MarkdownBlock | undefined;
  #openSource = '';
  /** The open block is shown as plain text (too long to render again on every update). */
  #openPlain = false;
  /** What the open block's last render cost, and how long it was then. */
  #openCost: { ms: number; chars: number } | undefined;
  #openStart = -1;
  /**
   * A plain open block's text before its last part: cut off in parts as it grows, which stay as they
   * are, so that an update replaces (and the page lays out again) only the last few thousand
   * characters, not a 400 KB code block.
   */
  #openParts: MarkdownBlock[] = [];
  /** Where each of those parts starts in the open block's source. */
  #openFroms: number[] = [];
  #openPartsEnd = 0;
  #seenLength = 0;
  #seenTail = '';
  #renders = 0;
  #whole: { source: string; blocks: readonly MarkdownBlock[] } | undefined;

  constructor(options: StreamingOptions = {}) {
    const { render, mathNow, budgetMs = Infinity, now = () => performance.now(), ...labels } = options;
    this.#budgetMs = budgetMs;
    this.#now = now;
    this.#render = render ?? ((source) => renderMarkdown(source, labels));
    // Only a finished render leaves formulas for later (`mathNow`): a streaming block is re-rendered.
    this.#renderWhole = render ?? ((source) => renderMarkdown(source, { ...labels, mathNow }));
  }

  /** The blocks as of the last update. */
  get blocks(): readonly MarkdownBlock[] {
    const finished = this.#finished.map((block) => (block instanceof PendingRun ? block.shown : block));
    return this.#open ? [...finished, ...this.#openParts, this.#open] : finished;
  }

  /**
   * The open block when it is shown as plain text, with its source and how many of the last blocks
   * show it: once the reply ends, the caller renders that source (in steps: it is long) in its place.
   */
  get plainOpen(): { key: string; source: string; parts: number } | undefined {
    if (!this.#open || !this.#openPlain) return undefined;
    return { key: String(this.#openStart), source: this.#openSource, parts: this.#openParts.length + 1 };
  }

  /**
   * The plain open block's text from `offset` (in its source) on, as the parts that show it: the
   * parts already on screen that start there or later, after one new part for the text before the
   * first of them. While the end of a huge reply renders that block in steps, what is not yet rendered
   * stays on screen this way (the DOM of those parts stays too).
   */
  plainRest(offset: number): readonly MarkdownBlock[] {
    const open = this.#open;
    if (!open || !this.#openPlain) return [];
    const parts = [...this.#openParts, open];
    const froms = [...this.#openFroms, this.#openPartsEnd];
    let first = froms.findIndex((from) => from >= offset);
    if (first < 0) first = parts.length;
    const gapEnd = first < parts.length ? froms[first] : this.#openSource.length;
    const gap = this.#openSource.slice(offset, gapEnd);
    const head = gap === '' ? [] : [{ key: `${this.#openStart}~${offset}`, html: plainPartHtml(gap) }];
    return [...head, ...parts.slice(first)];
  }

  /** How many times a block has been rendered (for tests and benchmarks). */
  get renderCount(): number {
    return this.#renders;
  }

  /** How many finished blocks still show as plain text, waiting to be rendered. */
  get pendingCount(): number {
    return this.#pending;
  }

  /**
   * Takes the whole source so far. A source that does not continue the previous one (another
   * message, a regenerated reply) starts over.
   */
  update(source: string): readonly MarkdownBlock[] {
    if (!this.#continues(source)) this.reset();
    if (source.length === this.#seenLength && source.length > 0) return this.blocks;
    const deadline = this.#now() + this.#budgetMs;
    this.#run = undefined;
    this.#seenLength = source.length;
    this.#seenTail = source.slice(-SEAM_LENGTH);
    let start = this.#splitter.openStart;
    for (const end of this.#splitter.advance(source)) {
      this.#finish(start, source.slice(start, end));
      start = end;
    }
    this.#renderOpen(start, source.slice(start));
    this.#renderPendingUntil(deadline, false);
    return this.blocks;
  }

  /**
   * Renders finished blocks left as plain text, newest first, until `deadline` (on the `now` clock;
   * at least one); returns how many are left. For after the reply ends (the render queue calls it).
   */
  renderPending(deadline: number): number {
    this.#renderPendingUntil(deadline, true);
    return this.#pending;
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
    this.#pending = 0;
    this.#run = undefined;
    this.#closeOpen();
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
    const open = this.#open;
    if (
      open &&
      this.#openStart === start &&
      !this.#openPlain &&
      this.#openSource.trimEnd() === blockSource.trimEnd()
    ) {
      this.#finished.push({ key: String(start), html: open.html });
    } else {
      const shownPlain = this.#openStart === start && this.#openPlain;
      this.#wait(String(start), blockSource, this.#tooCostly(blockSource, shownPlain));
    }
    this.#closeOpen();
  }

  /**
   * Shows a finished block as plain text, in a run of this update's, until it is rendered (within the
   * update's budget, or later). A block too long for any update's budget waits in a run of its own,
   * so that the blocks around it can still be rendered.
   */
  #wait(key: string, blockSource: string, long: boolean): void {
    // Bounded, so that the page sets and lays out again a few thousand characters as a run shrinks.
    if (!this.#run || long || this.#run.chars >= PLAIN_PART_CHARS) {
      this.#run = new PendingRun(long);
      this.#finished.push(this.#run);
    }
    this.#run.add(key, blockSource);
    if (long) this.#run = undefined;
    this.#pending += 1;
  }

  /** Without a budget, each block is rendered on its own, as it always was. */
  #partWeight(afterEnd: boolean): number {
    if (afterEnd) return END_PART_WEIGHT;
    return Number.isFinite(this.#budgetMs) ? UPDATE_PART_WEIGHT : 0;
  }

  /** Too costly for any update's budget: long, or shown plain while open because it rendered slowly. */
  #tooCostly(blockSource: string, shownPlain: boolean): boolean {
    return Number.isFinite(this.#budgetMs) && (shownPlain || blockSource.length > OPEN_PLAIN_CHARS);
  }

  /**
   * Renders pending blocks, newest first, while the clock is before `deadline`. After the end
   * (`afterEnd`) at least one, and long ones too; in an update, only those that fit a budget.
   */
  #renderPendingUntil(deadline: number, afterEnd: boolean): void {
    let rendered = 0;
    const due = () => (rendered > 0 || !afterEnd) && this.#now() >= deadline;
    for (let index = this.#finished.length - 1; index >= 0 && this.#pending > 0; index--) {
      const run = this.#finished[index];
      if (!(run instanceof PendingRun)) continue;
      for (let next = run.peek(); next && !due(); next = run.peek()) {
        // Too costly for any update's budget (a whole code block or table): rendered after the end.
        if (!afterEnd && run.long) break;
        const part = run.takePart(this.#partWeight(afterEnd));
        if (!part) break;
        this.#finished.splice(index + 1, 0, { key: part.key, html: this.#renderBlock(part.source) });
        this.#pending -= part.count;
        rendered += 1;
      }
      if (run.size === 0) this.#finished.splice(index, 1);
      if (due()) return;
    }
  }

  #renderOpen(start: number, blockSource: string): void {
    if (blockSource.trim() === '') {
      this.#closeOpen();
      return;
    }
    if (this.#openStart === start && blockSource === this.#openSource) return;
    if (this.#openStart !== start) this.#closeOpen();
    this.#openStart = start;
    this.#openSource = blockSource;
    // Plain once long, or once rendering it again would take too long, judged by what the last render
    // cost per character (a table's cells or a highlighted code block cost far more than prose: a
    // table made updates of 100-170 ms here before it reached the length). It stays plain.
    const cost = this.#openCost;
    const predicted = cost ? (cost.ms * blockSource.length) / Math.max(cost.chars, 1) : 0;
    this.#openPlain ||=
      blockSource.length > OPEN_PLAIN_CHARS ||
      (Number.isFinite(this.#budgetMs) && predicted > OPEN_RENDER_MS);
    if (this.#openPlain) {
      this.#open = this.#plainParts(start, blockSource);
      return;
    }
    const started = this.#now();
    this.#open = { key: String(start), html: this.#renderBlock(blockSource) };
    this.#openCost = { ms: this.#now() - started, chars: blockSource.length };
  }

  /** Cuts a plain open block's settled parts off (at a line end when there is one); its last part. */
  #plainParts(start: number, blockSource: string): MarkdownBlock {
    while (blockSource.length - this.#openPartsEnd > PLAIN_PART_CHARS) {
      const from = this.#openPartsEnd;
      const lineEnd = blockSource.lastIndexOf('\n', from + PLAIN_PART_CHARS);
      const end = lineEnd > from ? lineEnd + 1 : from + PLAIN_PART_CHARS;
      this.#openParts.push({ key: `${start}~${from}`, html: plainPartHtml(blockSource.slice(from, end)) });
      this.#openFroms.push(from);
      this.#openPartsEnd = end;
    }
    const last = blockSource.slice(this.#openPartsEnd);
    return { key: `${start}~${this.#openPartsEnd}`, html: plainPartHtml(last) };
  }

  #closeOpen(): void {
    this.#open = undefined;
    this.#openSource = '';
    this.#openPlain = false;
    this.#openCost = undefined;
    this.#openStart = -1;
    this.#openParts = [];
    this.#openFroms = [];
    this.#openPartsEnd = 0;
  }

  #renderBlock(blockSource: string, render = this.#render): string {
    this.#renders += 1;
    return render(blockSource);
  }
}

/** A plain open block's parts: one text, its parts cut at line ends (no margins between them). */
function plainPartHtml(text: string): string {
  return `<div class="open-plain">${escapeHtml(text)}</div>`;
}

/**
 * Blocks shown as their source, as plain text (escaped: model tags stay text). Not a paragraph: it
 * holds whatever the blocks are (headings, lists, code) until they are rendered.
 */
function plainHtml(blockSource: string): string {
  return `<div class="open-plain">${escapeHtml(blockSource)}</div>`;
}
