/**
 * Simplified → Traditional Chinese as written in Hong Kong, built from opencc-js 1.4.2's Trie and
 * dictionaries the way its `s2hkp` configuration does it (node_modules/opencc-js/dist/esm-lib/
 * preset/full.js and core.js): compatibility ideographs normalized, the text cut into segments at
 * the longest Simplified phrases, each segment converted by the phrase and character dictionaries
 * and then by the Hong Kong phrase and variant ones. This module is its own lazily loaded chunk:
 * the phrase list alone is 1 MB. Two departures that leave the output unchanged (a unit test
 * compares it with the library's own Converter):
 * - segments are found with the conversion trie (its keys of two or more characters are exactly the
 *   segmentation dictionary), so the phrase list is held in memory once, not twice;
 * - dictionaries are loaded in slices with a pause between them, so building never blocks the page
 *   for long.
 */
import { Trie } from 'opencc-js/core';
import compatibilityIdeographs from 'opencc-js/dict/CJK_Compatibility_Ideographs';
import hkPhrases from 'opencc-js/dict/HKPhrases';
import hkVariants from 'opencc-js/dict/HKVariants';
import hkVariantPhrases from 'opencc-js/dict/HKVariantsPhrases';
import stCharacters from 'opencc-js/dict/STCharacters';
import stPhrases from 'opencc-js/dict/STPhrases';
import stRegionalPhrases from 'opencc-js/dict/STPhrases_GeneratedFromRegionalPhrases';
import { ProseConversion, convertProse, type TextConverter } from './prose';

export interface HongKongConverter extends TextConverter {
  /** A finished markdown text, its code, maths and URLs kept as written (prose.ts). */
  prose(text: string): string;
  /** A conversion for one text that streams in (prose.ts). */
  stream(): ProseConversion;
}

const SLICE = 4000;
const pause = () => new Promise<void>((resolve) => setTimeout(resolve));

function entries(dictionary: string): [string, string][] {
  return dictionary.split('|').map((entry) => {
    const space = entry.indexOf(' ');
    return [entry.slice(0, space), entry.slice(space + 1)];
  });
}

/** A trie with the dictionaries loaded as Trie.loadDictGroup does (earlier ones win), in slices. */
async function buildTrie(dictionaries: string[]): Promise<Trie> {
  const trie = new Trie();
  for (const dictionary of [...dictionaries].reverse()) {
    const all = entries(dictionary);
    for (let start = 0; start < all.length; start += SLICE) {
      trie.loadDict(all.slice(start, start + SLICE));
      await pause();
    }
  }
  return trie;
}

const codePointLength = (text: string, at: number) => ((text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1);
const isHan = (char: string) => /\p{Script=Han}/u.test(char);

export async function buildHongKongConverter(): Promise<HongKongConverter> {
  const normalize = await buildTrie([compatibilityIdeographs]);
  // First step of the chain; its keys of two or more characters are the segmentation phrases.
  const phrases = await buildTrie([stPhrases, stRegionalPhrases, stCharacters]);
  const hongKong = await buildTrie([hkPhrases, hkVariantPhrases, hkVariants]);

  // Every proper prefix of a segmentation phrase: text ending in one may still grow into the phrase.
  const prefixes = new Set<string>();
  let longest = 0;
  for (const [key] of [...entries(stPhrases), ...entries(stRegionalPhrases)]) {
    longest = Math.max(longest, key.length);
    const chars = [...key];
    let prefix = '';
    for (const char of chars.slice(0, -1)) {
      prefix += char;
      prefixes.add(prefix);
    }
  }
  await pause();
  // The Hong Kong step runs on whole segments, so its phrases can join the characters of a run of
  // unmatched ones; they are Han characters, plus the few other marks found in them (·).
  const joining = new Set(
    [...entries(hkPhrases), ...entries(hkVariantPhrases)]
      .flatMap(([key]) => [...key])
      .filter((c) => !isHan(c)),
  );
  const joins = (char: string) => isHan(char) || joining.has(char);

  /** End of the segmentation phrase starting at `at`, if any. */
  function phraseEnd(text: string, at: number): number | undefined {
    const match = phrases.matchPrefix(text, at);
    return match && match.end - at > codePointLength(text, at) ? match.end : undefined;
  }

  function segments(text: string): string[] {
    const found: string[] = [];
    let run = -1;
    for (let at = 0; at < text.length;) {
      const end = phraseEnd(text, at);
      if (end === undefined) {
        if (run < 0) run = at;
        at += codePointLength(text, at);
        continue;
      }
      if (run >= 0) found.push(text.slice(run, at));
      run = -1;
      found.push(text.slice(at, end));
      at = end;
    }
    if (run >= 0) found.push(text.slice(run));
    return found;
  }

  const converter: HongKongConverter = {
    prose: (text) => convertProse(text, converter),
    stream: () => new ProseConversion(converter),
    convert(text) {
      return segments(normalize.convert(text))
        .map((segment) => hongKong.convert(phrases.convert(segment)))
        .join('');
    },
    settledLength(text) {
      // A pair of surrogates split between two chunks is never settled.
      const last = text.charCodeAt(text.length - 1);
      const end = last >= 0xd800 && last <= 0xdbff ? text.length - 1 : text.length;
      let at = 0;
      let run = -1;
      while (at < end) {
        if (end - at < longest && prefixes.has(text.slice(at, end))) break;
        const phrase = phraseEnd(text, at);
        if (phrase !== undefined && phrase <= end) {
          at = phrase;
          run = -1;
          continue;
        }
        const step = codePointLength(text, at);
        if (!joins(text.slice(at, at + step))) run = -1;
        else if (run < 0) run = at;
        at += step;
      }
      // Unmatched characters just before the unsettled tail may join it in a Hong Kong phrase.
      return run >= 0 ? run : at;
    },
  };
  return converter;
}
