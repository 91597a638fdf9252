// Sizes past which rendering changes strategy so that no single task blocks the page (issue 19:
// a model in a loop or a pasted dump can write any of these). Shared by the page and the renderer.

/** Above this many characters a finished message is rendered a few blocks per task. */
export const PROGRESSIVE_CHARS = 40_000;
/**
 * What a formula delimiter (`$`, `$$`, `\(`, `\)`, `\[`, `\]`; two per formula) weighs against that
 * limit, in characters. A formula costs far more than its source: even left for later (see
 * MATH_AT_ONCE) it is sanitized, inserted and laid out as elements of its own; 500 display formulas
 * (22 KB of source) rendered whole made a task of 190 ms of CPU here.
 */
const FORMULA_DELIMITER_CHARS = 150;
const FORMULA_DELIMITER = /\$\$?|\\[()[\]]/g;

/** Whether a finished message costs too much to render in one task: rendered a few blocks per task. */
export function renderedProgressively(source: string): boolean {
  if (source.length > PROGRESSIVE_CHARS) return true;
  const budget = (PROGRESSIVE_CHARS - source.length) / FORMULA_DELIMITER_CHARS;
  let delimiters = 0;
  FORMULA_DELIMITER.lastIndex = 0;
  while (FORMULA_DELIMITER.exec(source)) if (++delimiters > budget) return true;
  return false;
}

/** About what rendering `source` costs, in characters of prose: each formula delimiter weighs more. */
export function renderWeight(source: string): number {
  FORMULA_DELIMITER.lastIndex = 0;
  let delimiters = 0;
  while (FORMULA_DELIMITER.exec(source)) delimiters += 1;
  return source.length + delimiters * FORMULA_DELIMITER_CHARS;
}

/**
 * A streaming reply's open block longer than this shows as plain text until it closes: rendering it
 * again on every update (a 10,000-line code block, a 2,000-row table, 40,000 unbroken characters)
 * costs more each time, hundreds of ms per frame by the end.
 */
export const OPEN_PLAIN_CHARS = 12_000;
/**
 * …and so does one whose next render would take longer than this, judged by what its last render
 * cost per character: a table's cells or a highlighted code block cost far more than prose, and on
 * a slow phone far more again. (A paragraph or a short code block renders in a few ms.)
 */
export const OPEN_RENDER_MS = 50;

/**
 * What one streaming update may spend rendering finished blocks (streaming.ts); the rest show as
 * plain text until a later update. A block costs ~0.5 ms (a line of prose) to ~5 ms (a display
 * formula: KaTeX and its sanitizing) here, and the page still inserts and lays out what it made.
 */
export const UPDATE_BUDGET_MS = 10;

/** Code longer than this (characters or lines) is shown unhighlighted: highlighting it takes seconds. */
export const HIGHLIGHT_CHARS = 60_000;
export const HIGHLIGHT_LINES = 1_000;

/** Formulas typeset in the task that shows a finished message; the rest follow in batches. */
export const MATH_AT_ONCE = 20;
/**
 * The same for each part of a progressively rendered one (progressive.ts): each formula is KaTeX
 * and a sanitizer pass of its own, and 20 of them made most of a 126 ms opening step here.
 */
export const MATH_PER_PART = 4;
/** Milliseconds of typesetting per batch (KaTeX plus its sanitizing: a few ms per display formula). */
export const MATH_BATCH_MS = 8;
