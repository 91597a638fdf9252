/**
 * Builds the turns sent to the model from a conversation. DeepSeek's advice for R1 distills: no
 * system prompt (its text goes into the first user turn instead), and earlier answers are sent
 * without their reasoning. WebLLM's deepseek templates do not strip it, so this does, for every
 * runtime alike. Replies that failed are left out; stopped ones are kept as far as they got.
 */
import type { ChatTurn } from '../../shared/engine';
import type { StoredMessage } from '../storage/history';
import { stripThinking } from './think';

export function buildTurns(messages: readonly StoredMessage[], systemPrompt = ''): ChatTurn[] {
  const turns: ChatTurn[] = [];
  for (const message of messages) {
    if (message.role === 'user') {
      turns.push({ role: 'user', content: message.content });
    } else if (message.status !== 'error' && message.status !== 'streaming') {
      const answer = stripThinking(message.content).trim();
      if (answer) turns.push({ role: 'assistant', content: answer });
    }
  }
  const first = turns.find((turn) => turn.role === 'user');
  if (first && systemPrompt.trim()) first.content = `${systemPrompt.trim()}\n\n${first.content}`;
  return turns;
}
