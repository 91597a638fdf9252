// One-shot markdown rendering for untrusted model output: markdown-it (CommonMark, GFM tables and
// strikethrough, links from bare URLs) with the CJK-friendly emphasis rule (DeepSeek writes
// `**建議：**搭…`, which plain CommonMark leaves unbolded), math and highlighted code, then DOMPurify.
// KaTeX's output needs inline styles that model HTML must not have, so formulas leave markdown-it as
// empty slots, model HTML is sanitized strictly, and the (separately sanitized) formulas fill the
// slots afterwards. A slot the model forges can only repeat a formula. The model's raw HTML is cut to
// an inline allowlist chunk by chunk as markdown-it emits it (see sanitize.ts), so the code blocks,
// classes and buttons in the output are the app's own.
import markdownIt, { type MarkdownIt, type Token } from 'markdown-it';
import cjkFriendly from 'markdown-it-cjk-friendly';
import { escapeHtml } from './escape';
import { highlightCode, tooLongToHighlight } from './highlight';
import { markInvisible } from './invisible';
import { mathPlugin, renderTex, typesetBefore, type MathMatch } from './math';
import { sanitizeModelHtml, sanitizeRawHtml, sanitizeRawTag } from './sanitize';

/** Text the rendered HTML carries, translated by the caller. */
export interface MarkdownOptions {
  /** Label of each code block's copy button. */
  copyLabel?: string;
  /** Notice over a code block with invisible or bidirectional characters (shown as markers). */
  invisibleLabel?: string;
  /** Placeholder text of an image, which is never loaded. */
  imageLabel?: string;
  /**
   * How many formulas to typeset now; the rest are left as `.math-pending` placeholders showing
   * their source, for `typesetPending` to fill in batches (500 formulas take seconds). Default: all.
   */
  mathNow?: number;
}

type Labels = Required<Omit<MarkdownOptions, 'mathNow'>>;

const DEFAULT_LABELS: Labels = {
  copyLabel: 'Copy',
  invisibleLabel: 'This code contains invisible or direction-changing characters, shown as <U+…> markers.',
  imageLabel: 'Image not loaded',
};

const SLOT = /<span data-math-slot="(\d+)"><\/span>/g;

// Rendering is synchronous, so the formulas of the current render can live here.
let formulas: MathMatch[] = [];

function emitFormula(math: MathMatch): string {
  formulas.push(math);
  return `<span data-math-slot="${formulas.length - 1}"></span>`;
}

/** A formula typeset, or (past the render's budget) a placeholder that shows its source. */
function formulaHtml(math: MathMatch | undefined, typeset: boolean): string {
  if (!math) return '';
  if (typeset) return renderTex(math.tex, math.display, math.raw);
  return typesetBefore(math.display, math.raw) ?? `<span class="math-pending">${escapeHtml(math.raw)}</span>`;
}

/** The fence's language if it is a plain name (it lands in a class and a label). */
function fenceLanguage(info: string): string {
  const name = info.trim().split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  return /^[\w#+.-]{1,32}$/.test(name) ? name : '';
}

/** Lines per piece of a code block too long to highlight (see inPieces). */
const CODE_PIECE_LINES = 200;

/**
 * Plain code's HTML (escaped text, one line per line) in pieces of CODE_PIECE_LINES lines, each a
 * block that the page lays out only near the screen (Markdown.svelte): laid out whole, a 10,000-line
 * block made a task of 65-115 ms here. A piece holds no line end of its own at its end: as a block,
 * it ends its last line on screen, and Copy puts a line end between pieces (Markdown.svelte).
 */
function inPieces(html: string): string {
  const lines = html.split('\n');
  if (lines.length <= CODE_PIECE_LINES) return html;
  const pieces: string[] = [];
  for (let start = 0; start < lines.length; start += CODE_PIECE_LINES) {
    pieces.push(`<span class="code-lines">${lines.slice(start, start + CODE_PIECE_LINES).join('\n')}</span>`);
  }
  return pieces.join('');
}

function renderCode(token: Token, labels: Labels): string {
  const language = fenceLanguage(token.info);
  const languageClass = language === '' ? '' : ` language-${language}`;
  const text = token.content.replace(/\n$/, '');
  const marked = markInvisible(highlightCode(text, language));
  // Markers are single-line spans: plain code's HTML still has one line per line.
  const code = tooLongToHighlight(text) ? { ...marked, html: inPieces(marked.html) } : marked;
  const notice =
    code.marked === 0 ? '' : `<p class="code-notice" role="note">${escapeHtml(labels.invisibleLabel)}</p>`;
  return (
    `<div class="code-block"><div class="code-header"><span class="code-lang">${language}</span>` +
    `<button type="button" class="copy-code" data-copy>${escapeHtml(labels.copyLabel)}</button></div>` +
    `${notice}<pre><code class="hljs${languageClass}">${code.html}</code></pre></div>\n`
  );
}

/**
 * Table cells carry their alignment as an `align` attribute: markdown-it writes an inline style,
 * which the sanitizer removes from all model HTML.
 */
function alignCells(md: MarkdownIt): void {
  md.core.ruler.push('align_cells', (state) => {
    for (const token of state.tokens) {
      if (token.type !== 'th_open' && token.type !== 'td_open') continue;
      const align = /^text-align:(left|right|center)$/.exec(String(token.attrGet('style') ?? ''))?.[1];
      if (!token.attrs) continue;
      token.attrs = token.attrs.filter(([name]) => name !== 'style');
      if (align) token.attrSet('align', align);
    }
  });
}

function createMarkdownIt(labels: Labels): MarkdownIt {
  const md = markdownIt({ html: true, linkify: true });
  md.use(cjkFriendly);
  md.use(mathPlugin, emitFormula);
  md.use(alignCells);
  md.renderer.rules.html_block = (tokens, index) => sanitizeRawHtml(tokens[index].content);
  md.renderer.rules.html_inline = (tokens, index) => sanitizeRawTag(tokens[index].content);
  md.renderer.rules.fence = (tokens, index) => renderCode(tokens[index], labels);
  md.renderer.rules.code_block = (tokens, index) => renderCode(tokens[index], labels);
  md.renderer.rules.code_inline = (tokens, index) =>
    `<code>${markInvisible(escapeHtml(tokens[index].content)).html}</code>`;
  // A wide table scrolls sideways in its own box, like code, instead of squeezing its words.
  md.renderer.rules.table_open = () => '<div class="table-scroll"><table>\n';
  md.renderer.rules.table_close = () => '</table></div>\n';
  return md;
}

const byLabels = new Map<string, MarkdownIt>();

function markdownItFor(labels: Labels): MarkdownIt {
  const key = JSON.stringify(labels);
  let md = byLabels.get(key);
  if (!md) {
    md = createMarkdownIt(labels);
    byLabels.set(key, md);
  }
  return md;
}

function withDefaults(options: MarkdownOptions): Labels {
  return {
    copyLabel: options.copyLabel ?? DEFAULT_LABELS.copyLabel,
    invisibleLabel: options.invisibleLabel ?? DEFAULT_LABELS.invisibleLabel,
    imageLabel: options.imageLabel ?? DEFAULT_LABELS.imageLabel,
  };
}

/** Renders untrusted markdown to safe HTML. Never throws on odd input. */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
  const labels = withDefaults(options);
  formulas = [];
  try {
    return sanitizeModelHtml(parse(source, labels), { image: labels.imageLabel }).replace(
      SLOT,
      (_, index: string) =>
        formulaHtml(formulas[Number(index)], Number(index) < (options.mathNow ?? Infinity)),
    );
  } finally {
    formulas = [];
  }
}

function parse(source: string, labels: Labels): string {
  try {
    return markdownItFor(labels).render(source);
  } catch (error) {
    console.error('markdown: markdown-it failed, showing the source as text', error);
    return `<p class="markdown-error">${escapeHtml(source)}</p>`;
  }
}
