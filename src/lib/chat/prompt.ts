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

// Common words' characters in their Traditional and Simplified forms (each used by one script only),
// and Cantonese words written Chinese has no other form for.
const TRADITIONAL =
  /[們這個說會為麼來時過還與對開關問題機學國體點樣讓應該實現發覺見將當從無嗎請謝話語書車電買賣錢幫邊]/gu;
const SIMPLIFIED =
  /[们这个说会为么来时过还与对开关问题机学国体点样让应该实现发觉见将当从无吗请谢话语书车电买卖钱帮边]/gu;
const CANTONESE = /[嘅咗唔喺佢冇啲嗰嘢哋嚟啱睇諗咩噉]/u;

/**
 * A short request to answer in Hong Kong Chinese, for a user who writes Traditional Chinese or
 * Cantonese (the R1 distills tend to answer Chinese in Simplified); undefined for anything else.
 */
export function answerLanguageRequest(text: string): string | undefined {
  if (CANTONESE.test(text)) return '（請用繁體中文、廣東話書面語回答，用香港常用字詞。）';
  const traditional = text.match(TRADITIONAL)?.length ?? 0;
  const simplified = text.match(SIMPLIFIED)?.length ?? 0;
  return traditional > simplified ? '（請用繁體中文回答，用香港常用字詞。）' : undefined;
}

/**
 * Adds the answer-language request to the end of the first user turn (DeepSeek advises putting
 * instructions in the user turn) when any user turn is written in Traditional Chinese or
 * Cantonese. It stays once added, so the start of the prompt does not change from turn to turn.
 */
export function withAnswerLanguage(turns: ChatTurn[]): ChatTurn[] {
  const users = turns.filter((turn) => turn.role === 'user');
  const request = users.map((turn) => answerLanguageRequest(turn.content)).find(Boolean);
  if (!request) return turns;
  return turns.map((turn) =>
    turn === users[0] ? { ...turn, content: `${turn.content}\n\n${request}` } : turn,
  );
}
