/**
 * What a screen reader hears when a reply ends: the answer's first sentence as plain text. Reading
 * the whole answer aloud, or every token as it arrives, would drown the user; they can read on in the
 * conversation itself.
 */

const MAX_CHARS = 160;

/** Markdown reduced to the words a listener needs: no code, maths, markup or links' addresses. */
function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .replace(/\$\$[\s\S]*?(\$\$|$)/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/^\s*\|?\s*:?-{3,}.*$/gm, ' ')
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
