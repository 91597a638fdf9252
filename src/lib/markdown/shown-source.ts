// "Copy message" copies a reply's markdown, not its rendered text (so lists, maths and code survive a
// paste). Raw HTML is the one place where markdown can say more than the screen shows (a comment, a
// <style> or <template> body, a hidden attribute): each raw HTML piece is replaced by what the
// renderer keeps of it, and invisible characters in code by the markers shown in their place
// (invisible.ts), so the copy carries nothing the reader did not see.
import markdownIt, { type Token } from 'markdown-it';
import cjkFriendly from 'markdown-it-cjk-friendly';
import { markInvisibleText } from './invisible';
import { mathPlugin } from './math';
import { sanitizeRawHtml, sanitizeRawTag } from './sanitize';

// Parsed the way render.ts parses (so code and maths are not taken for HTML); formulas unrendered.
const md = markdownIt({ html: true, linkify: true })
  .use(cjkFriendly)
  .use(mathPlugin, () => '');

const MAY_HOLD_HTML = /<[a-z!?/]/i;
const CLEANED = new Set(['html_block', 'inline', 'fence', 'code_block']);

/** Replaces each of `pieces`, found in order from the start of `text`, by its replacement. */
function replaceInOrder(text: string, pieces: readonly [string, string][]): string {
  let result = '';
  let cursor = 0;
  for (const [piece, replacement] of pieces) {
    const at = text.indexOf(piece, cursor);
    if (at < 0) continue;
    result += text.slice(cursor, at) + replacement;
    cursor = at + piece.length;
  }
  return result + text.slice(cursor);
}

function cleanHtmlBlock(lines: string[], token: Token, start: number, end: number): void {
  const shown = sanitizeRawHtml(token.content).replace(/\n$/, '');
  if (token.level === 0) {
    lines.splice(start, end - start, ...shown.split('\n'));
    return;
  }
  // Inside a list or quote each line keeps its own prefix: the first line takes the whole block.
  const pieces = token.content
    .replace(/\n$/, '')
    .split('\n')
    .map((line, index): [string, string] => [line, index === 0 ? shown.replace(/\n/g, ' ') : '']);
  lines.splice(start, end - start, ...replaceInOrder(lines.slice(start, end).join('\n'), pieces).split('\n'));
}

/** What a paragraph's raw tag or code span shows, if that differs from its source. */
function shownPiece(child: Token): [string, string] | undefined {
  if (child.type === 'html_inline') return [child.content, sanitizeRawTag(child.content)];
  if (child.type === 'code_inline') {
    const marked = markInvisibleText(child.content);
    if (marked !== child.content) return [child.content, marked];
  }
  return undefined;
}

function cleanBlock(lines: string[], token: Token): void {
  const [start, end] = token.map ?? [0, 0];
  if (token.type === 'html_block') {
    cleanHtmlBlock(lines, token, start, end);
    return;
  }
  if (token.type === 'fence' || token.type === 'code_block') {
    for (let line = start; line < end; line++) lines[line] = markInvisibleText(lines[line] ?? '');
    return;
  }
  const pieces = (token.children ?? []).flatMap((child) => {
    const piece = shownPiece(child);
    return piece ? [piece] : [];
  });
  if (pieces.length === 0) return;
  lines.splice(start, end - start, ...replaceInOrder(lines.slice(start, end).join('\n'), pieces).split('\n'));
}

/** The markdown `source` with its raw HTML reduced to what the renderer shows of it. */
export function shownSource(source: string): string {
  if (!MAY_HOLD_HTML.test(source) && markInvisibleText(source) === source) return source;
  const lines = source.split('\n');
  // From the end, so that a replacement that changes a block's line count moves no block still to do.
  const blocks = md.parse(source, {}).filter((token) => token.map && CLEANED.has(token.type));
  for (const token of blocks.reverse()) cleanBlock(lines, token);
  return lines.join('\n');
}
