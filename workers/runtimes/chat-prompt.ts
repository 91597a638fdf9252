/**
 * The prompt text a runtime sends, from its own chat template. Two things are read from the
 * rendered template rather than assumed: whether its generation prompt opens the thought (DeepSeek's
 * ends in "<think>\n" since 2025-02-09, MLC's and the first upload's end at "<｜Assistant｜>"), and
 * where a continued reply goes (after the generation prompt, with no end-of-turn token).
 */
import type { ChatTurn } from '../../src/shared/engine';

const OPEN_TAG = '<think>';
const CLOSE_TAG = '</think>';

/** Renders turns with the model's chat template, with or without the generation prompt. */
export type RenderTemplate = (turns: ChatTurn[], addGenerationPrompt: boolean) => string;

export interface RenderedPrompt {
  /** The whole prompt text, continued reply included. */
  text: string;
  /**
   * The thought opening the generation prompt ends with ("<think>\n"), which the runtime streams as
   * the reply's first delta; '' when the prompt does not open the thought or a reply is continued.
   */
  opening: string;
}

/** The part of `generationPrompt` from an unclosed `<think>` on, or ''. */
export function openedThought(generationPrompt: string): string {
  const open = generationPrompt.lastIndexOf(OPEN_TAG);
  if (open === -1 || generationPrompt.includes(CLOSE_TAG, open)) return '';
  return generationPrompt.slice(open);
}

/**
 * The prompt for `turns`. A trailing assistant turn is continued: its text goes right after the
 * generation prompt, over the thought opening when it begins with it (it was streamed from there).
 */
export function renderPrompt(render: RenderTemplate, turns: ChatTurn[]): RenderedPrompt {
  const last = turns.at(-1);
  const continued = last?.role === 'assistant' ? last.content : undefined;
  const asked = continued === undefined ? turns : turns.slice(0, -1);
  const withPrompt = render(asked, true);
  const without = render(asked, false);
  const generationPrompt = withPrompt.startsWith(without) ? withPrompt.slice(without.length) : withPrompt;
  const opening = openedThought(generationPrompt);
  if (continued === undefined) return { text: withPrompt, opening };
  const rest = opening && continued.startsWith(opening) ? continued.slice(opening.length) : continued;
  return { text: withPrompt + rest, opening: '' };
}
