/**
 * The scripted runtime's texts for benchmarks, apart from the runtime so that Node (the bench) can
 * read them too: a long generated markdown reply, how text is cut into tokens, and the emit log the
 * runtime posts after each reply. Imports nothing.
 */

/** What the runtime posts on `emitLogChannel` after each reply: when each token left the worker. */
export interface EmitLog {
  tokens: number;
  /** Emit time of each token, in milliseconds since the epoch (`timeOrigin + now()`), comparable across threads. */
  emittedAt: number[];
}

/** The last word of every generated long reply, so a reader can tell when all of it is on screen. */
export const LONG_REPLY_END = 'Done.';

/** Splits text into word-sized pieces that keep their whitespace, like a tokenizer's stream. */
export function scriptTokens(text: string): string[] {
  return text.match(/\s*\S+|\s+/gu) ?? [];
}

/** `tokens` with every token longer than `chars` cut into pieces of at most `chars`. */
export function cutLongTokens(tokens: string[], chars: number): string[] {
  return tokens.flatMap((token) =>
    token.length <= chars
      ? [token]
      : Array.from({ length: Math.ceil(token.length / chars) }, (_, i) =>
          token.slice(i * chars, (i + 1) * chars),
        ),
  );
}

function thoughtSentence(step: number): string {
  return (
    `Step ${step}: the question is about the harbour, so I check tide ${step} against the chart, ` +
    `compare it with what I said before, and make sure the numbers still agree. `
  );
}

function answerSection(part: number): string {
  return [
    `## Part ${part}: the tide at pier ${part}`,
    `The ferry at pier ${part} waits for **slack water**, and the *pilot* reads \`tide[${part}]\` before it docks. 海港 ${part} 號碼頭的水位每天都會變。`,
    `- Read the gauge at pier ${part}.\n- Compare it with yesterday's log.\n  - Wind from the east adds ${part % 5} cm.\n- Write it down.`,
    `1. Open the chart.\n2. Find the height for hour ${part % 24}.\n3. Tell the captain.`,
    '```ts\n' +
      `function tide(hour: number): number {\n  const amplitude = ${part}.5;\n  return amplitude * Math.sin((hour * Math.PI) / 6);\n}\n` +
      '```',
    `The height follows $h(t) = A \\sin(\\omega t + \\varphi)$ with $A = ${part}.5$, so over one period\n\n$$\n\\int_0^{T} h(t)\\,dt = 0\n$$`,
    `| pier | depth |\n| --- | --- |\n| ${part} | ${part}.2 m |\n| ${part + 1} | ${part + 1}.4 m |`,
  ].join('\n\n');
}

/**
 * A deterministic markdown reply of exactly `count` tokens (at least 20): a long plain thought (a
 * quarter of it, opened by `<think>` as the runtimes stream it), `</think>`, then an answer with headings, lists, code, math and tables, ending in
 * a short paragraph whose last word is {@link LONG_REPLY_END}.
 */
export function longReplyTokens(count: number): string[] {
  const total = Math.max(Math.round(count), 20);
  const thoughtTokens = Math.floor(total / 4);
  const ending = scriptTokens(`\n\nThat is all for today. ${LONG_REPLY_END}`);
  let thought: string[] = [];
  for (let step = 1; thought.length < thoughtTokens; step++)
    thought.push(...scriptTokens(thoughtSentence(step)));
  thought = thought.slice(0, thoughtTokens);
  thought[0] = `<think>\n${thought[0]}`;
  thought[thought.length - 1] += '</think>';

  const answerBudget = total - thoughtTokens - ending.length;
  const answer: string[] = [];
  for (let part = 1; ; part++) {
    const section = scriptTokens(`\n\n${answerSection(part)}`);
    if (answer.length + section.length > answerBudget) break;
    answer.push(...section);
  }
  // Short paragraphs make the count exact without one long block at the end.
  const calm = scriptTokens('\n\nMeanwhile the boats rest and the water is calm.');
  for (let index = 0; answer.length < answerBudget; index++) answer.push(calm[index % calm.length]);
  return [...thought, ...answer, ...ending];
}
