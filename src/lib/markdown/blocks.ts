// Where a growing reply can be cut into independently rendered blocks: at a blank line followed by
// an unindented line, outside fenced code and display math ($$…$$, \[…\]). Indented lines after a
// blank stay with the block before (list item continuations, nested code), and fences count at any
// indent because list items indent them. Trade-offs, seen only while streaming (a finished message is
// rendered whole): a loose list ("1. a\n\n2. b") renders as one
// list per item (keeping the numbering with <ol start="2">), and a reference-style link
// definition only serves its own block.
// The scan is incremental: each call reads only the lines completed since the previous call.

const FENCE_OPEN = /^\s*(`{3,}(?=[^`]*$)|~{3,})/;
const MATH_DELIMITERS = /\$\$|\\\[|\\\]/g;

type MathClose = '$$' | '\\]';

function closesFence(line: string, fence: string): boolean {
  const match = /^\s*(`{3,}|~{3,})\s*$/.exec(line);
  const marker = match?.[1];
  return marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length;
}

/** The display math still open after `line`, given the one open before it. */
function scanMath(line: string, open: MathClose | undefined): MathClose | undefined {
  for (const [delimiter] of line.matchAll(MATH_DELIMITERS)) {
    if (open === undefined) {
      if (delimiter === '$$') open = '$$';
      else if (delimiter === '\\[') open = '\\]';
    } else if (delimiter === open) {
      open = undefined;
    }
  }
  return open;
}

/** Finds block boundaries in a source that only grows. */
export class BlockSplitter {
  #scanned = 0; // every line before this offset is complete and has been read
  #openStart = 0;
  #fence: string | undefined;
  #math: MathClose | undefined;
  #afterBlank = false;

  /** Where the last, still open block starts. */
  get openStart(): number {
    return this.#openStart;
  }

  /** Reads what `source` added since the last call; returns the end offsets of finished blocks. */
  advance(source: string): number[] {
    const ends: number[] = [];
    for (let end = source.indexOf('\n', this.#scanned); end >= 0;) {
      if (this.#readLine(source.slice(this.#scanned, end))) this.#cut(this.#scanned, ends);
      this.#scanned = end + 1;
      end = source.indexOf('\n', this.#scanned);
    }
    // A line still arriving already decides a cut once its first character is not a space.
    if (this.#afterBlank && /^\S/.test(source.charAt(this.#scanned))) {
      this.#afterBlank = false;
      this.#cut(this.#scanned, ends);
    }
    return ends;
  }

  reset(): void {
    this.#scanned = 0;
    this.#openStart = 0;
    this.#fence = undefined;
    this.#math = undefined;
    this.#afterBlank = false;
  }

  #cut(at: number, ends: number[]): void {
    ends.push(at);
    this.#openStart = at;
  }

  /** Updates the scan state with one complete line; true when a block ends before it. */
  #readLine(line: string): boolean {
    if (this.#fence !== undefined) {
      if (closesFence(line, this.#fence)) this.#fence = undefined;
      return false;
    }
    if (this.#math !== undefined) {
      this.#math = scanMath(line, this.#math);
      return false;
    }
    if (line.trim() === '') {
      this.#afterBlank = true;
      return false;
    }
    const cut = this.#afterBlank && !/^\s/.test(line);
    this.#afterBlank = false;
    const fence = FENCE_OPEN.exec(line)?.[1];
    if (fence !== undefined) this.#fence = fence;
    else this.#math = scanMath(line, undefined);
    return cut;
  }
}
