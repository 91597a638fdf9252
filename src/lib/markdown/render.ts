// One-shot markdown rendering for untrusted model output: marked (GFM) with math and highlighted
// code, then DOMPurify. KaTeX's output needs inline styles that model HTML must not have, so
// formulas leave marked as empty slots, model HTML is sanitized strictly, and the (separately
// sanitized) formulas fill the slots afterwards. A slot the model forges can only repeat a formula.
import { Lexer, Marked, type MarkedOptions, type Token, type Tokens } from 'marked';
import { escapeHtml } from './escape';
import { highlightCode } from './highlight';
import { mathExtensions, maskInlineMath, renderTex, type MathMatch } from './math';
import { sanitizeModelHtml } from './sanitize';

export interface MarkdownOptions {
  /** Label of each code block's copy button (translated by the caller). */
  copyLabel?: string;
}

const SLOT = /<span data-math-slot="(\d+)"><\/span>/g;

// Rendering is synchronous, so per-render state can live here: the formulas of the current render
// and the source of the inline run being lexed (marked's emphasis mask hook is only given a copy).
let formulas: string[] = [];
let inlineSource = '';

/** A lexer that remembers the inline source it is working on, for `maskInlineMath`. */
class MathAwareLexer<P = string, R = string> extends Lexer<P, R> {
  override inlineTokens(src: string, tokens?: Token[]): Token[] {
    const outer = inlineSource;
    inlineSource = src;
    try {
      return super.inlineTokens(src, tokens);
    } finally {
      inlineSource = outer;
    }
  }
}

function lexBlocks<P = string, R = string>(src: string, options?: MarkedOptions<P, R>): Token[] {
  return new MathAwareLexer<P, R>(options).lex(src);
}

function lexInline<P = string, R = string>(src: string, options?: MarkedOptions<P, R>): Token[] {
  return new MathAwareLexer<P, R>(options).inlineTokens(src);
}

function emitFormula(math: MathMatch): string {
  formulas.push(renderTex(math.tex, math.display, math.raw));
  return `<span data-math-slot="${formulas.length - 1}"></span>`;
}

/** The fence's language if it is a plain name (it lands in a class and a label). */
function fenceLanguage(lang: string | undefined): string {
  const name = (lang ?? '').trim().split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  return /^[\w#+.-]{1,32}$/.test(name) ? name : '';
}

function renderCode({ text, lang }: Tokens.Code, copyLabel: string): string {
  const language = fenceLanguage(lang);
  const languageClass = language === '' ? '' : ` language-${language}`;
  return (
    `<div class="code-block"><div class="code-header"><span class="code-lang">${language}</span>` +
    `<button type="button" class="copy-code" data-copy>${escapeHtml(copyLabel)}</button></div>` +
    `<pre><code class="hljs${languageClass}">${highlightCode(text, language)}</code></pre></div>\n`
  );
}

function createMarked(copyLabel: string): Marked {
  return new Marked({
    gfm: true,
    extensions: mathExtensions(emitFormula),
    renderer: { code: (token) => renderCode(token, copyLabel) },
    hooks: {
      provideLexer: (block) => (block === false ? lexInline : lexBlocks),
      emStrongMask: (masked) => maskInlineMath(inlineSource, masked),
    },
  });
}

const markedByLabel = new Map<string, Marked>();

function markedFor(copyLabel: string): Marked {
  let marked = markedByLabel.get(copyLabel);
  if (!marked) {
    marked = createMarked(copyLabel);
    markedByLabel.set(copyLabel, marked);
  }
  return marked;
}

/** Renders untrusted markdown to safe HTML. Never throws on odd input. */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
  formulas = [];
  try {
    return sanitizeModelHtml(parse(source, options.copyLabel ?? 'Copy')).replace(
      SLOT,
      (_, index: string) => formulas[Number(index)] ?? '',
    );
  } finally {
    formulas = [];
  }
}

function parse(source: string, copyLabel: string): string {
  try {
    return markedFor(copyLabel).parse(source, { async: false });
  } catch (error) {
    console.error('markdown: marked failed, showing the source as text', error);
    return `<p class="markdown-error">${escapeHtml(source)}</p>`;
  }
}
