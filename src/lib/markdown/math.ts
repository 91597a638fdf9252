// TeX in model output: $…$ and \(…\) inline, $$…$$ and \[…\] display (DeepSeek-R1 favours the
// backslash forms and \boxed{}). A lone $ is usually money, so inline $ follows Pandoc's rule: no
// space after the opening $, none before the closing $, and no digit right after it ("$5 and $10").
// Formulas are markdown-it tokens, so emphasis never sees their underscores and asterisks.
import katex from 'katex';
import type { MarkdownIt, StateBlock, StateInline } from 'markdown-it';
import { escapeHtml } from './escape';
import { sanitizeMathHtml } from './sanitize';

/** A formula found in inline text. */
export interface MathMatch {
  raw: string;
  tex: string;
  display: boolean;
}

const INLINE_RULES: readonly { pattern: RegExp; display: boolean }[] = [
  { pattern: /^\$\$(?!\$)([\s\S]+?)\$\$/, display: true },
  { pattern: /^\$(?=[^\s$])((?:\\[^\n]|[^\\$\n])+?)(?<=\S)\$(?!\d)/, display: false },
  { pattern: /^\\\(([\s\S]+?)\\\)/, display: false },
  { pattern: /^\\\[([\s\S]+?)\\\]/, display: true },
];
/** Display math as a block: its opening and closing delimiters. */
const BLOCK_DELIMITERS: readonly (readonly [string, string])[] = [
  ['$$', '$$'],
  ['\\[', '\\]'],
];

// trust: false keeps \href, \url, \htmlStyle… inert; the limits stop formulas that would grow huge.
// KaTeX caps only positive sizes at maxSize (`Math.min(size, maxSize)` in katex/src/units.ts), so
// \kern-1000em, \mkern, \hspace and \raisebox{-500em} (or many kerns in a row) are checked on the
// output instead: see `overreaches`.
const KATEX_OPTIONS = {
  throwOnError: true,
  trust: false,
  strict: 'ignore',
  maxSize: 20,
  maxExpand: 500,
} as const;

/** The formula at the very start of `src`, if any. */
export function matchInlineMath(src: string): MathMatch | undefined {
  for (const { pattern, display } of INLINE_RULES) {
    const match = pattern.exec(src);
    const tex = match?.[1];
    if (match && tex !== undefined && tex.trim() !== '') return { raw: match[0], tex, display };
  }
  return undefined;
}

// While a reply streams, its open block (formulas and all) is rendered again on every update.
const renderedTex = new Map<string, string>();
// Enough for a long reply's formulas to stay typeset between its stream, finish and reopening.
const RENDERED_TEX_LIMIT = 1_000;

const texKey = (display: boolean, raw: string) => `${display ? 'D' : 'I'}${raw}`;

/** The formula's HTML if it was typeset before (and is still kept). */
export function typesetBefore(display: boolean, raw: string): string | undefined {
  return renderedTex.get(texKey(display, raw));
}

/** Renders TeX with KaTeX; a formula KaTeX rejects shows as its source, marked with `math-error`. */
export function renderTex(tex: string, display: boolean, raw: string): string {
  const key = texKey(display, raw);
  let html = renderedTex.get(key);
  if (html === undefined) {
    html = renderUncached(tex, display, raw);
    if (renderedTex.size >= RENDERED_TEX_LIMIT) renderedTex.clear();
    renderedTex.set(key, html);
  }
  return html;
}

// Lengths KaTeX writes into inline styles, in em. A legitimate formula stays well inside these.
const LENGTH = /(margin-left|margin-right|top|bottom|height|vertical-align):\s*(-?[\d.]+)em/g;
const MAX_LENGTH_EM = KATEX_OPTIONS.maxSize + 5;
const MAX_BACKWARD_EM = KATEX_OPTIONS.maxSize;
const MAX_INLINE_WIDTH_EM = 100;

/**
 * Whether KaTeX's output would draw outside its place: a negative space or raise past the cap
 * (which KaTeX leaves uncapped), spaces that add up to more than a screen. A display formula
 * scrolls and clips in its own box, so only its horizontal spaces count; an inline one has no box.
 */
export function overreaches(html: string, display: boolean): boolean {
  let backward = 0;
  let spaces = 0;
  for (const [, property, value] of html.matchAll(LENGTH)) {
    const em = Number(value);
    const horizontal = property === 'margin-left' || property === 'margin-right';
    if (!horizontal && display) continue;
    if (Math.abs(em) > MAX_LENGTH_EM) return true;
    if (!horizontal) continue;
    if (em < 0) backward -= em;
    spaces += Math.abs(em);
  }
  return backward > MAX_BACKWARD_EM || (!display && spaces > MAX_INLINE_WIDTH_EM);
}

function renderUncached(tex: string, display: boolean, raw: string): string {
  try {
    const html = katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode: display });
    if (overreaches(html, display)) return mathError(raw, 'formula spacing or raise too large');
    return sanitizeMathHtml(html);
  } catch (error) {
    return mathError(raw, error instanceof Error ? error.message : 'invalid formula');
  }
}

function mathError(raw: string, reason: string): string {
  return `<span class="math-error" title="${escapeHtml(reason)}">${escapeHtml(raw)}</span>`;
}

/** Inline math: `$…$`, `\\(…\\)`, and `$$…$$` or `\\[…\\]` inside a paragraph. */
function inlineMath(emit: (math: MathMatch) => string) {
  return (state: StateInline, silent: boolean): boolean => {
    const first = state.src[state.pos];
    if (first !== '$' && first !== '\\') return false;
    const math = matchInlineMath(state.src.slice(state.pos, state.posMax));
    if (!math) return false;
    if (!silent) {
      const token = state.push('math_inline', 'math', 0);
      token.content = emit(math);
    }
    state.pos += math.raw.length;
    return true;
  };
}

/**
 * Display math on lines of its own: a line that starts with `$$` or `\\[` up to the line that
 * ends with the closing delimiter, blank lines included. It may interrupt a paragraph.
 */
function blockMath(emit: (math: MathMatch) => string) {
  return (state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean => {
    if (state.sCount[startLine] - state.blkIndent >= 4) return false;
    const lineText = (line: number) =>
      state.src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line]);
    const firstLine = lineText(startLine);
    const delimiters = BLOCK_DELIMITERS.find(([open]) => firstLine.startsWith(open));
    if (!delimiters) return false;
    const [open, close] = delimiters;
    const parts: string[] = [];
    for (let line = startLine; line < endLine; line++) {
      if (line > startLine && state.sCount[line] < state.blkIndent && !state.isEmpty(line)) return false;
      const text = line === startLine ? firstLine.slice(open.length) : lineText(line);
      // The closing delimiter ends its line (spaces may follow).
      const trimmed = text.trimEnd();
      if (!trimmed.endsWith(close)) {
        parts.push(text);
        continue;
      }
      parts.push(trimmed.slice(0, trimmed.length - close.length));
      const tex = parts.join('\n');
      if (tex.trim() === '') return false;
      if (silent) return true;
      const token = state.push('math_block', 'div', 0);
      token.block = true;
      token.map = [startLine, line + 1];
      token.content = emit({ raw: `${open}${tex}${close}`, tex, display: true });
      state.line = line + 1;
      return true;
    }
    return false;
  };
}

/**
 * markdown-it plugin for inline and block math. `emit` turns a formula into the HTML to place in
 * markdown-it's output (the renderer uses it to keep KaTeX output apart from model HTML).
 */
export function mathPlugin(md: MarkdownIt, emit: (math: MathMatch) => string): void {
  // Before `escape`, so that `\\(` and `\\[` open a formula rather than escape a bracket.
  md.inline.ruler.before('escape', 'math_inline', inlineMath(emit));
  md.block.ruler.before('fence', 'math_block', blockMath(emit), {
    alt: ['paragraph', 'reference', 'blockquote', 'list'],
  });
  md.renderer.rules.math_inline = (tokens, index) => tokens[index].content;
  md.renderer.rules.math_block = (tokens, index) =>
    `<div class="math-block">${tokens[index].content}</div>\n`;
}

/**
 * Typesets `.math-pending` placeholders under `root` (render.ts leaves them past its budget; each
 * shows its formula's source) until `deadline` (performance.now() time; at least one); returns how
 * many are left. A placeholder that model HTML forged can only become a formula, as the model could
 * have written.
 */
export function typesetPending(root: Element, deadline: number): number {
  const pending = [...root.querySelectorAll('.math-pending')];
  let done = 0;
  for (const node of pending) {
    const raw = node.textContent ?? '';
    const math = matchInlineMath(raw);
    node.outerHTML = math && math.raw === raw ? renderTex(math.tex, math.display, raw) : escapeHtml(raw);
    done += 1;
    if (performance.now() >= deadline) break;
  }
  return pending.length - done;
}
