/**
 * Builds the turns sent to the model from a conversation. DeepSeek's advice for R1 distills: no
 * system prompt (its text goes into the first user turn instead), and earlier answers are sent
 * without their reasoning. WebLLM's deepseek templates do not strip it, so this does, for every
 * runtime alike. Every finished reply keeps its turn, as far as its answer got (empty when it never
 * left its thought), so questions and answers always alternate as the template expects.
 */
import type { ChatTurn } from '../../shared/engine';
import type { StoredMessage } from '../storage/history';
import { stripThinking } from './think';

/** The turn a stored message becomes, or undefined when it is not sent. */
export function turnOf(message: StoredMessage): ChatTurn | undefined {
  if (message.role === 'user') return { role: 'user', content: message.content };
  if (message.status === 'streaming') return undefined;
  return { role: 'assistant', content: stripThinking(message.content).trim() };
}

/** The first user turn with the user's instructions put before it (DeepSeek: no system prompt). */
function withInstructions(content: string, systemPrompt: string): string {
  return systemPrompt.trim() ? `${systemPrompt.trim()}\n\n${content}` : content;
}

export function buildTurns(messages: readonly StoredMessage[], systemPrompt = ''): ChatTurn[] {
  const turns = messages.map(turnOf).filter((turn): turn is ChatTurn => turn !== undefined);
  const first = turns.find((turn) => turn.role === 'user');
  if (first) first.content = withInstructions(first.content, systemPrompt);
  return turns;
}
