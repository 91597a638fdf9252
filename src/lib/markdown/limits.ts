// Sizes past which rendering changes strategy so that no single task blocks the page (issue 19:
// a model in a loop or a pasted dump can write any of these). Shared by the page and the renderer.

/** Above this many characters a finished message is rendered a few blocks per task. */
export const PROGRESSIVE_CHARS = 40_000;

/**
 * A streaming reply's open block longer than this shows as plain text until it closes: rendering it
 * again on every update (a 10,000-line code block, a 2,000-row table, 40,000 unbroken characters)
 * costs more each time, hundreds of ms per frame by the end.
 */
export const OPEN_PLAIN_CHARS = 12_000;

/** Code longer than this (characters or lines) is shown unhighlighted: highlighting it takes seconds. */
export const HIGHLIGHT_CHARS = 60_000;
export const HIGHLIGHT_LINES = 1_000;

/** Formulas typeset in the task that shows a finished message; the rest follow in batches. */
export const MATH_AT_ONCE = 20;
/** Milliseconds of typesetting per batch (KaTeX plus its sanitizing: a few ms per display formula). */
export const MATH_BATCH_MS = 8;
