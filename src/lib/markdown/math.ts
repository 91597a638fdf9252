// TeX in model output: $…$ and \(…\) inline, $$…$$ and \[…\] display (DeepSeek-R1 favours the
// backslash forms and \boxed{}). A lone $ is usually money, so inline $ follows Pandoc's rule: no
// space after the opening $, none before the closing $, and no digit right after it ("$5 and $10").
// Formulas are marked tokens, so markdown never sees their underscores and asterisks.
import katex from 'katex';
import type { TokenizerAndRendererExtension, Tokens } from 'marked';
import { escapeHtml } from './escape';
import { sanitizeMathHtml } from './sanitize';

/** A formula found in inline text. */
export interface MathMatch {
  raw: string;
  tex: string;
  display: boolean;
}

interface MathToken extends Tokens.Generic {
  type: 'inlineMath' | 'blockMath';
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
const BLOCK_RULES: readonly RegExp[] = [
  /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/,
  /^ {0,3}\\\[([\s\S]+?)\\\][ \t]*(?:\n+|$)/,
];
const INLINE_START = /\$|\\[([]/;
const BLOCK_START = /(?:^|\n) {0,3}(?:\$\$|\\\[)/;

// trust: false keeps \href, \url, \htmlStyle… inert; the limits stop formulas that would grow huge.
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
const RENDERED_TEX_LIMIT = 200;

/** Renders TeX with KaTeX; a formula KaTeX rejects shows as its source, marked with `math-error`. */
export function renderTex(tex: string, display: boolean, raw: string): string {
  const key = `${display ? 'D' : 'I'}${raw}`;
  let html = renderedTex.get(key);
  if (html === undefined) {
    html = renderUncached(tex, display, raw);
    if (renderedTex.size >= RENDERED_TEX_LIMIT) renderedTex.clear();
    renderedTex.set(key, html);
  }
  return html;
}

function renderUncached(tex: string, display: boolean, raw: string): string {
  try {
    return sanitizeMathHtml(katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode: display }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'invalid formula';
    return `<span class="math-error" title="${escapeHtml(reason)}">${escapeHtml(raw)}</span>`;
  }
}

/**
 * Hides formulas from marked's emphasis pass, which scans the whole paragraph for closing `*`/`_`
 * (e.g. "*see $a*b$*"). `masked` is marked's already-masked copy of `original`, same length.
 */
export function maskInlineMath(original: string, masked: string): string {
  const starts = new RegExp(INLINE_START.source, 'g');
  let result = '';
  let copied = 0;
  for (let found = starts.exec(original); found; found = starts.exec(original)) {
    const at = found.index;
    const math = original[at - 1] === '\\' ? undefined : matchInlineMath(original.slice(at));
    if (!math) continue;
    result += masked.slice(copied, at) + '[' + 'a'.repeat(math.raw.length - 2) + ']';
    copied = starts.lastIndex = at + math.raw.length;
  }
  return result + masked.slice(copied);
}

/**
 * marked extensions for inline and block math. `emit` turns a formula into the HTML to place in
 * marked's output (the renderer uses it to keep KaTeX output apart from model HTML).
 */
export function mathExtensions(emit: (math: MathMatch) => string): TokenizerAndRendererExtension[] {
  const render = (token: Tokens.Generic): string => {
    const { raw, tex, display } = token as MathToken;
    return emit({ raw, tex, display });
  };
  return [
    {
      name: 'blockMath',
      level: 'block',
      start: (src) => {
        const at = src.search(BLOCK_START);
        return at < 0 ? undefined : at + (src[at] === '\n' ? 1 : 0);
      },
      tokenizer(src): MathToken | undefined {
        for (const pattern of BLOCK_RULES) {
          const match = pattern.exec(src);
          const tex = match?.[1];
          if (match && tex !== undefined && tex.trim() !== '') {
            return { type: 'blockMath', raw: match[0], tex, display: true };
          }
        }
        return undefined;
      },
      renderer: (token) => `<div class="math-block">${render(token)}</div>\n`,
    },
    {
      name: 'inlineMath',
      level: 'inline',
      start: (src) => {
        const at = src.search(INLINE_START);
        return at < 0 ? undefined : at;
      },
      tokenizer(src): MathToken | undefined {
        const math = matchInlineMath(src);
        return math && { type: 'inlineMath', ...math };
      },
      renderer: render,
    },
  ];
}
