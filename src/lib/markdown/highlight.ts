// highlight.js core with the languages chat answers mostly use, not all ~190 (which would add
// about 1 MB to the bundle). Other languages render as escaped plain text.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import { escapeHtml } from './escape';
import { HIGHLIGHT_CHARS, HIGHLIGHT_LINES } from './limits';

const LANGUAGES = { bash, c, cpp, css, go, java, javascript, json, python, rust, sql, typescript, xml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

/** Too long to highlight within one task (a 10,000-line file took 2 s): shown as plain text. */
export function tooLongToHighlight(code: string): boolean {
  if (code.length > HIGHLIGHT_CHARS) return true;
  let lines = 1;
  for (let at = code.indexOf('\n'); at >= 0 && lines <= HIGHLIGHT_LINES; at = code.indexOf('\n', at + 1))
    lines++;
  return lines > HIGHLIGHT_LINES;
}

/** Code as HTML: highlighted when the language is known (by name or alias) and the code not too long. */
export function highlightCode(code: string, language: string): string {
  if (language === '' || !hljs.getLanguage(language) || tooLongToHighlight(code)) return escapeHtml(code);
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
