/**
 * Converts only the prose of a model's markdown source: fenced code, inline code, maths and URLs
 * keep the model's characters. It works on the source, before any renderer sees it, line by line:
 * no dictionary phrase contains a line break, so a finished line converts the same alone as in the
 * whole text, and only the line still being streamed is converted again on each update. In that
 * line, the tail that could still become part of a longer phrase (or an inline code span not yet
 * closed) is held back, so a half-converted phrase never shows.
 */

/** What this needs of a converter (src/lib/chinese/hong-kong.ts). */
export interface TextConverter {
  /** The whole text converted. */
  convert(text: string): string;
  /**
   * How much of a text still being streamed is settled: converting it now gives what converting
   * the whole text will give. The rest could still become part of a longer phrase.
   */
  settledLength(text: string): number;
}

interface BlockState {
  /** The open code fence's character and length. */
  fence?: { char: string; length: number };
  /** The delimiter that closes an open display-maths block. */
  math?: string;
}

const FENCE = /^\s*(`{3,}|~{3,})(.*)$/;
// Closed inline code, display and inline maths (Pandoc's $ rule, as src/lib/markdown/math.ts),
// URLs (up to a space or full-width punctuation) and link destinations.
const PROTECTED =
  /(`+)[^`]+?\1(?!`)|\$\$.+?\$\$|\\\(.+?\\\)|\\\[.+?\\\]|\$(?=[^\s$])(?:\\.|[^\\$])+?(?<=\S)\$(?!\d)|\b(?:https?|ftp):\/\/[^\s<>"'()（）「」『』【】，。、！？；：]+|\]\([^)\s]*/g;

const OPENING = /`|\$\$|\$(?=[^\s\d$])|\\[([]/;

/** Where a line opens or closes a block, and how the state changes. */
function blockLine(line: string, state: BlockState): BlockState | undefined {
  if (state.fence) {
    const close = FENCE.exec(line);
    const ends =
      close && close[1][0] === state.fence.char && close[1].length >= state.fence.length && !close[2].trim();
    return ends ? {} : state;
  }
  if (state.math) return line.includes(state.math) ? {} : state;
  const fence = FENCE.exec(line);
  // "```a```" on one line is inline code, not a fence.
  if (fence && !(fence[1][0] === '`' && fence[2].includes('`'))) {
    return { fence: { char: fence[1][0], length: fence[1].length } };
  }
  const trimmed = line.trim();
  if (trimmed.startsWith('$$') && !trimmed.slice(2).includes('$$')) return { math: '$$' };
  if (trimmed.startsWith('\\[') && !trimmed.includes('\\]')) return { math: '\\]' };
  return undefined;
}

/** One line of prose, its protected spans kept; while streaming, its unsettled tail held back. */
function proseLine(line: string, converter: TextConverter, streaming: boolean): string {
  let out = '';
  let at = 0;
  for (const match of line.matchAll(PROTECTED)) {
    out += converter.convert(line.slice(at, match.index)) + match[0];
    at = match.index + match[0].length;
  }
  const rest = line.slice(at);
  if (!streaming) return out + converter.convert(rest);
  // Inline code or maths still open: what follows may be code, and what precedes it is settled.
  // ("$5" is money, not an opening.)
  const open = rest.search(OPENING);
  if (open >= 0) return out + converter.convert(rest.slice(0, open));
  return out + converter.convert(rest.slice(0, converter.settledLength(rest)));
}

function convertLine(line: string, state: BlockState, converter: TextConverter, streaming: boolean) {
  const next = blockLine(line, state);
  if (next !== undefined || state.fence || state.math) return { text: line, state: next ?? state };
  return { text: proseLine(line, converter, streaming), state };
}

/**
 * The converted text of one streamed source (a thought or an answer). Lines already finished are
 * converted once; call `update` with the whole source each time it grows.
 */
export class ProseConversion {
  #source = '';
  #output = '';
  #state: BlockState = {};

  constructor(private readonly converter: TextConverter) {}

  update(source: string, streaming: boolean): string {
    if (!source.startsWith(this.#source)) {
      this.#source = '';
      this.#output = '';
      this.#state = {};
    }
    const cut = source.lastIndexOf('\n') + 1;
    for (let at = this.#source.length; at < cut;) {
      const end = source.indexOf('\n', at) + 1;
      const line = convertLine(source.slice(at, end - 1), this.#state, this.converter, false);
      this.#output += `${line.text}\n`;
      this.#state = line.state;
      at = end;
    }
    if (cut > this.#source.length) this.#source = source.slice(0, cut);
    return this.#output + convertLine(source.slice(cut), this.#state, this.converter, streaming).text;
  }
}

/** A whole finished text (for Copy and exports). */
export function convertProse(source: string, converter: TextConverter): string {
  return new ProseConversion(converter).update(source, false);
}
