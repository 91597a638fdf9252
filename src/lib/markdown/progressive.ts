// A finished reply too big to render in one task (a model caught in a loop, a pasted log or data
// dump) is rendered a few blocks at a time, each step a separate task. It is cut where a streaming
// reply is cut (blocks.ts), so it reads as it did while it streamed: block-wise, not whole-wise (see
// streaming.ts for the few constructs that differ). One block bigger than a step is still one step,
// except a table: its rows come a chunk per step, each chunk a <tbody> of the same <table> (one
// table for screen readers and for the eye), rendered with the table's own header and delimiter
// row, so every cell comes out as it would in the whole table.
// A step's output is several parts of a few blocks each: the page lays out only the parts near the
// screen, so the frame after a step lays out a part or two, not all the step made. The source is
// scanned for block ends as the steps reach them, not all at once when a 1 MB reply opens.
import { BlockSplitter } from './blocks';
import { renderMarkdown, type MarkdownOptions } from './render';
import type { MarkdownBlock } from './streaming';

/** About how much source one step renders, unless told (see nextStepChars). */
const STEP_CHARS = 12_000;
/**
 * At most this many table cells per step: a step's cost goes with the elements it makes (sanitizing
 * walks each one), and a table makes several per few characters: 12,000 characters of a 4-column
 * table are 1,400 cells, ~200 ms on this machine. (An estimate from the header's column count.)
 */
const STEP_CELLS = 400;

/** A table rendered in chunks: its sanitized `<thead>` and one sanitized `<tbody>` per chunk. */
export interface ChunkedTable {
  readonly head: string;
  readonly bodies: readonly string[];
}

/** A rendered block; a huge table has `table` (its `html` is empty) and grows a body per step. */
export interface ProgressiveBlock extends MarkdownBlock {
  readonly table?: ChunkedTable;
}

/**
 * About how much source one part holds (whole blocks; a bigger block is a part of its own). A
 * 24,000-character step of headings, lists and quotes made one part of ~6,000 layout objects, laid
 * out in one frame in 77 ms of CPU here; each part near the screen is laid out whole.
 */
export const PART_CHARS = 4_000;
/** How much more source the block scan reads when a step needs more block ends. */
const SCAN_CHARS = 65_536;

/** A first step's size: its code runs cold (not yet optimized), several times slower than later. */
export const FIRST_STEP_CHARS = 2_000;
const MIN_STEP_CHARS = 500;
const MAX_STEP_CHARS = 24_000;
/** What a step should cost; the render queue yields between steps. */
const STEP_TARGET_MS = 30;

/**
 * The next step's size from what the last one cost: the same source costs several times more on a
 * busy or slow machine, or in elements (links, lists, cells) rather than prose. Grows at most
 * twofold a step, so one cheap step cannot make the next one long.
 */
export function nextStepChars(chars: number, elapsedMs: number): number {
  const scaled = Math.round((chars * STEP_TARGET_MS) / Math.max(elapsedMs, 1));
  return Math.min(MAX_STEP_CHARS, 2 * chars, Math.max(MIN_STEP_CHARS, scaled));
}

/** The offsets where `source`'s top-level blocks end (the last is its length). */
export function blockEnds(source: string): number[] {
  const ends = new BlockSplitter().advance(source).filter((end) => end > 0);
  if (ends.at(-1) !== source.length) ends.push(source.length);
  return ends;
}

/** The offsets where `source`'s top-level blocks end, found as they are asked for. */
export class BlockEndScan {
  readonly #source: string;
  readonly #splitter = new BlockSplitter();
  readonly #ends: number[] = [];
  #scanned = 0;

  constructor(source: string) {
    this.#source = source;
  }

  /** Where block `index` ends (the last ends at the source's end); undefined past the last. */
  at(index: number): number | undefined {
    const length = this.#source.length;
    while (index >= this.#ends.length && this.#scanned < length) {
      this.#scanned = Math.min(length, this.#scanned + SCAN_CHARS);
      for (const end of this.#splitter.advance(this.#source.slice(0, this.#scanned))) {
        if (end > 0) this.#ends.push(end);
      }
      if (this.#scanned === length && this.#ends.at(-1) !== length) this.#ends.push(length);
    }
    return this.#ends[index];
  }
}

const TABLE_ROW = /^ {0,3}\|/;
const DELIMITER_ROW = /^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/**
 * A block that is one pipe table and nothing else (header, delimiter row, rows, each row starting
 * with `|`), split into its two head lines and its rows; otherwise undefined. Rows that start with
 * `|` cannot end a table or start another block, so each row renders the same in any chunk.
 */
export function splitTable(block: string): { head: string; rows: string[]; columns: number } | undefined {
  const lines = block.replace(/\s+$/, '').split('\n');
  const [header, delimiter, ...rows] = lines;
  if (header === undefined || delimiter === undefined || rows.length === 0) return undefined;
  if (!TABLE_ROW.test(header) || !DELIMITER_ROW.test(delimiter)) return undefined;
  if (!rows.every((row) => TABLE_ROW.test(row))) return undefined;
  return {
    head: `${header}\n${delimiter}\n`,
    rows,
    columns: delimiter.split('|').filter((cell) => cell.trim() !== '').length,
  };
}

/** Rows of a table with `columns` columns that one step of `chars` renders. */
function rowsPerStep(columns: number, chars: number): number {
  const cells = Math.min(STEP_CELLS, (STEP_CELLS * chars) / STEP_CHARS);
  return Math.max(1, Math.floor(cells / columns));
}

/** `block` split as a table if it is one, too big for one step. */
function hugeTable(block: string, chars: number): ReturnType<typeof splitTable> {
  if (!TABLE_ROW.test(block)) return undefined;
  const table = splitTable(block);
  if (!table) return undefined;
  return block.length > chars || table.rows.length > rowsPerStep(table.columns, chars) ? table : undefined;
}

/** The sanitized `<thead>` and `<tbody>` of a render that is one table (render.ts's markup). */
function tableParts(html: string): { head: string; body: string } | undefined {
  const open = '<div class="table-scroll"><table>';
  const close = '</table></div>';
  const trimmed = html.trim();
  if (!trimmed.startsWith(open) || !trimmed.endsWith(close)) return undefined;
  const inner = trimmed.slice(open.length, -close.length);
  const headEnd = inner.indexOf('</thead>') + '</thead>'.length;
  const bodyStart = inner.indexOf('<tbody>');
  if (headEnd < '</thead>'.length || bodyStart < headEnd) return undefined;
  return { head: inner.slice(0, headEnd).trim(), body: inner.slice(bodyStart).trim() };
}

interface OpenTable {
  readonly key: string;
  readonly head: string;
  readonly rows: readonly string[];
  readonly columns: number;
  next: number;
  /** Where its row `next` starts in the source. */
  at: number;
}

/** Renders a finished source in steps of a few blocks. */
export class ProgressiveMarkdown {
  readonly #source: string;
  readonly #options: MarkdownOptions;
  readonly #ends: BlockEndScan;
  #next = 0;
  #start = 0;
  #blocks: ProgressiveBlock[] = [];
  #table: OpenTable | undefined;

  constructor(source: string, options: MarkdownOptions = {}) {
    this.#source = source;
    this.#options = options;
    this.#ends = new BlockEndScan(source);
  }

  /** The blocks rendered so far, in order. */
  get blocks(): readonly ProgressiveBlock[] {
    return this.#blocks;
  }

  get done(): boolean {
    return this.#table === undefined && this.#ends.at(this.#next) === undefined;
  }

  /** How much of the source the blocks so far show: it is rendered up to this offset. */
  get renderedChars(): number {
    return this.#table?.at ?? this.#start;
  }

  /** Renders the next blocks, about `chars` of source (at least one block); true once all are done. */
  step(chars = STEP_CHARS): boolean {
    if (this.#table) {
      this.#tableStep(this.#table, chars);
      return this.done;
    }
    const start = this.#start;
    let end = start;
    for (let blockEnd = this.#ends.at(this.#next); blockEnd !== undefined && end - start < chars;) {
      const table = hugeTable(this.#source.slice(end, blockEnd), chars);
      if (table && end > start) break; // a huge table starts a step of its own
      this.#next++;
      if (table) {
        this.#start = blockEnd;
        this.#table = { key: String(end), ...table, next: 0, at: end + table.head.length };
        this.#tableStep(this.#table, chars);
        return this.done;
      }
      end = blockEnd;
      if (end - this.#start >= PART_CHARS) this.#push(this.#start, end);
      blockEnd = this.#ends.at(this.#next);
    }
    this.#push(this.#start, end);
    return this.done;
  }

  #push(start: number, end: number): void {
    const part = this.#source.slice(start, end);
    this.#start = end;
    if (part.trim() !== '') {
      this.#blocks = [...this.#blocks, { key: String(start), html: renderMarkdown(part, this.#options) }];
    }
  }

  /** Renders the open table's next rows, about `chars` of them, as one more body of its table. */
  #tableStep(table: OpenTable, chars: number): void {
    const first = table.next;
    const last = first + rowsPerStep(table.columns, chars);
    let size = 0;
    while (table.next < table.rows.length && (table.next === first || (size < chars && table.next < last))) {
      size += (table.rows[table.next] ?? '').length + 1;
      table.at += (table.rows[table.next] ?? '').length + 1;
      table.next++;
    }
    if (table.next >= table.rows.length) this.#table = undefined;
    const rows = table.rows.slice(first, table.next).join('\n');
    const html = renderMarkdown(`${table.head}${rows}\n`, this.#options);
    const parts = tableParts(html);
    const previous = this.#blocks.at(-1);
    if (parts && first === 0) {
      const block = { key: table.key, html: '', table: { head: parts.head, bodies: [parts.body] } };
      this.#blocks = [...this.#blocks, block];
    } else if (parts && previous?.key === table.key && previous.table) {
      const grown = { ...previous.table, bodies: [...previous.table.bodies, parts.body] };
      this.#blocks = [...this.#blocks.slice(0, -1), { ...previous, table: grown }];
    } else {
      // Not the expected markup (cannot happen for rows that all start with "|"): shown on its own.
      this.#blocks = [...this.#blocks, { key: `${table.key}:${first}`, html }];
    }
  }
}
