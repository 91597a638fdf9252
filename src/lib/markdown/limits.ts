// Sizes past which rendering changes strategy so that no single task blocks the page (issue 19:
// a model in a loop or a pasted dump can write any of these). Shared by the page and the renderer.

/**
 * Above this many characters a finished message is rendered a few blocks per task (and below it,
 * if it costs more than RENDER_AT_ONCE_MS).
 */
export const PROGRESSIVE_CHARS = 40_000;
/**
 * What a formula delimiter (`$`, `$$`, `\(`, `\)`, `\[`, `\]`; two per formula) weighs in
 * `renderWeight`, in characters. A formula costs far more than its source: even left for later (see
 * MATH_AT_ONCE) it is sanitized, inserted and laid out as elements of its own; 500 display formulas
 * (22 KB of source) rendered whole made a task of 190 ms of CPU here.
 */
const FORMULA_DELIMITER_CHARS = 150;
const FORMULA_DELIMITER = /\$\$?|\\[()[\]]/g;

/**
 * Code longer than this (characters or lines) is shown unhighlighted: highlight.js takes about 4 ms
 * per 1,000 characters here when quiet (900 lines of JavaScript: 144 ms with their layout), and
 * a block is highlighted in one piece.
 */
export const HIGHLIGHT_CHARS = 12_000;
export const HIGHLIGHT_LINES = 400;

/**
 * What rendering a finished message in one task may cost, by `renderCostMs`: past it, the message is
 * rendered a few blocks per task. The estimate is of this machine when quiet; with the engine busy
 * on both cores the same work takes two to three times as long.
 */
export const RENDER_AT_ONCE_MS = 50;

/**
 * The estimate's rates, in ms on this machine when quiet, measured on the built page (render plus
 * insertion and layout): 40 KB of paragraphs 22 ms; 40 KB of headings, lists, links and quotes
 * 157 ms; a 1,300-row table 174 ms; 900 lines of highlighted JavaScript 144 ms. What costs is
 * elements, far more than characters: each line outside code starts one or more, each inline mark
 * (bold, code, link) one, each table cell one.
 */
const CHAR_MS = 0.0004;
const LINE_MS = 0.05;
const MARK_MS = 0.05;
const CELL_MS = 0.03;
const HIGHLIGHTED_CHAR_MS = 0.0042;
/** A formula even left for later (MATH_AT_ONCE) is sanitized, inserted and laid out as elements. */
const FORMULA_DELIMITER_MS = 0.17;

const INLINE_MARK = /\*\*|__|`|\[/g;
const CELL_EDGE = /\|/g;
const FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*(\S*)/;

function count(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let found = 0;
  while (pattern.exec(text)) found += 1;
  return found;
}

/**
 * About what rendering `source` in one task costs on this machine when quiet, in ms (see the rates
 * above); it stops counting past `enough`.
 */
export function renderCostMs(source: string, enough = Number.POSITIVE_INFINITY): number {
  let ms = source.length * CHAR_MS;
  let fence: { marker: string; highlighted: boolean; chars: number; lines: number } | undefined;
  const closeFence = () => {
    if (fence?.highlighted && fence.chars <= HIGHLIGHT_CHARS && fence.lines <= HIGHLIGHT_LINES)
      ms += fence.chars * HIGHLIGHTED_CHAR_MS;
    fence = undefined;
  };
  for (let start = 0; start < source.length && ms <= enough;) {
    const end = source.indexOf('\n', start);
    const line = source.slice(start, end < 0 ? source.length : end);
    start = end < 0 ? source.length : end + 1;
    if (fence) {
      if (line.trimStart().startsWith(fence.marker)) closeFence();
      else {
        fence.chars += line.length + 1;
        fence.lines += 1;
      }
      continue;
    }
    const opened = FENCE.exec(line);
    if (opened) {
      // A named language is highlighted (or may be: the estimate errs on the side of cost).
      fence = { marker: opened[1] ?? '```', highlighted: (opened[2] ?? '') !== '', chars: 0, lines: 0 };
      continue;
    }
    if (line.trim() === '') continue;
    ms += LINE_MS + count(INLINE_MARK, line) * MARK_MS + count(CELL_EDGE, line) * CELL_MS;
    ms += count(FORMULA_DELIMITER, line) * FORMULA_DELIMITER_MS;
  }
  closeFence();
  return ms;
}

/** Whether a finished message costs too much to render in one task: rendered a few blocks per task. */
export function renderedProgressively(source: string): boolean {
  if (source.length > PROGRESSIVE_CHARS) return true;
  return renderCostMs(source, RENDER_AT_ONCE_MS) > RENDER_AT_ONCE_MS;
}

/** About what rendering `source` costs, in characters of prose: each formula delimiter weighs more. */
export function renderWeight(source: string): number {
  return source.length + count(FORMULA_DELIMITER, source) * FORMULA_DELIMITER_CHARS;
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

/** Formulas typeset in the task that shows a finished message; the rest follow in batches. */
export const MATH_AT_ONCE = 20;
/**
 * The same for each part of a progressively rendered one (progressive.ts): each formula is KaTeX
 * and a sanitizer pass of its own, and 20 of them made most of a 126 ms opening step here.
 */
export const MATH_PER_PART = 4;
/** Milliseconds of typesetting per batch (KaTeX plus its sanitizing: a few ms per display formula). */
export const MATH_BATCH_MS = 8;
