/**
 * What a screen reader hears when a reply ends: the answer's first sentence as plain text. Reading
 * the whole answer aloud, or every token as it arrives, would drown the user; they can read on in the
 * conversation itself.
 */

const MAX_CHARS = 160;
/**
 * Only the answer's start is searched for its first sentence. Every pattern below is linear (none
 * can span lines or rescan past the next opening mark): the table-row pattern once took `\s*`, which
 * crosses lines, and over the blank lines between 500 formulas it made a 1-4 s task at a reply's end.
 */
const HEAD_CHARS = 20_000;

/** Markdown reduced to the words a listener needs: no code, maths, markup or links' addresses. */
function plainText(markdown: string): string {
  return markdown
    .slice(0, HEAD_CHARS)
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .replace(/\$\$[\s\S]*?(\$\$|$)/g, ' ')
    .replace(/<[^<>]*>/g, ' ')
    .replace(/!?\[([^[\]]*)\]\([^()]*\)/g, '$1')
    .replace(/^[ \t]{0,3}(#{1,6}|>|[-*+]|\d+[.)])[ \t]+/gm, '')
    .replace(/^[ \t]*\|?[ \t]*:?-{3,}.*$/gm, ' ')
    .replace(/[*_`~|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first sentence of a markdown answer, shortened to about 160 characters. */
export function firstSentence(markdown: string): string {
  const text = plainText(markdown);
  const sentence = /^.+?(?:[.!?](?=\s|$)|[。！？])/u.exec(text)?.[0] ?? text;
  return sentence.length > MAX_CHARS ? `${sentence.slice(0, MAX_CHARS - 1).trimEnd()}…` : sentence;
}
