// Characters that change what code means without showing: bidirectional controls ("Trojan Source",
// CVE-2021-42574), zero-width and other format characters, line/paragraph separators, soft hyphens,
// C0/C1 controls and Unicode tag characters (text smuggled invisibly). In code they are drawn as
// visible <U+XXXX> markers instead, as code hosts do, and the marker (not the character) is what
// Copy then copies. Tab, line feed and carriage return are ordinary code.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f\udd00-\uddef]/g;

/** The code point of `char` as U+XXXX. */
function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Replaces invisible characters in HTML-escaped (or highlighted) code by visible markers.
 * The characters never occur inside the markup itself, which is the highlighter's own.
 */
export function markInvisible(html: string): { html: string; marked: number } {
  let marked = 0;
  const result = html.replace(INVISIBLE, (char) => {
    marked += 1;
    const name = codePoint(char);
    return `<span class="invisible-char" title="${name}">&lt;${name}&gt;</span>`;
  });
  return { html: result, marked };
}

/** The same markers in plain text (for copying a message's markdown as it is shown). */
export function markInvisibleText(text: string): string {
  return text.replace(INVISIBLE, (char) => `<${codePoint(char)}>`);
}
