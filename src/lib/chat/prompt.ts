/**
 * Builds the turns sent to the model from a conversation. DeepSeek's advice for R1 distills: no
 * system prompt (its text goes into the first user turn instead), and earlier answers are sent
 * without their reasoning. WebLLM's deepseek templates do not strip it, so this does, for every
 * runtime alike. Replies that failed are left out; stopped ones are kept as far as they got.
 */
import type { ChatTurn } from '../../shared/engine';
import type { StoredMessage } from '../storage/history';
import { stripThinking } from './think';

/** The turn a stored message becomes, or undefined when it is not sent. */
export function turnOf(message: StoredMessage): ChatTurn | undefined {
  if (message.role === 'user') return { role: 'user', content: message.content };
  if (message.status === 'error' || message.status === 'streaming') return undefined;
  const answer = stripThinking(message.content).trim();
  return answer ? { role: 'assistant', content: answer } : undefined;
}

export function buildTurns(messages: readonly StoredMessage[], systemPrompt = ''): ChatTurn[] {
  const turns = messages.map(turnOf).filter((turn): turn is ChatTurn => turn !== undefined);
  const first = turns.find((turn) => turn.role === 'user');
  if (first && systemPrompt.trim()) first.content = `${systemPrompt.trim()}\n\n${first.content}`;
  return turns;
}
