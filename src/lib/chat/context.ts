/**
 * Fits a conversation into the model's context window. Texts are counted by the loaded model's own
 * tokenizer where the runtime offers one (../state/token-counts.svelte.ts); otherwise, and until
 * that count arrives, they are estimated on the safe side: one token per CJK character, one per
 * three other characters. A few tokens per turn are added for the template's markers.
 * The newest turns are kept; older ones are dropped whole, and the caller is told where the
 * model's memory of the conversation now begins.
 */
import type { ChatTurn } from '../../shared/engine';
import type { StoredMessage } from '../storage/history';
import { buildTurns, turnOf, withAnswerLanguage } from './prompt';

const TURN_OVERHEAD = 8;
/** Room left for the reply, at the least, when the user asks for a long one. */
const MIN_REPLY_TOKENS = 256;

// Characters from U+2E80 up (CJK and the like) count one token each, as do their UTF-16 units here.
const NOT_WIDE = /[^\u2e80-\uffff]+/g;
const SURROGATE = /[\ud800-\udfff]/;
const SURROGATE_PAIR = /[\ud800-\udbff][\udc00-\udfff]/g;

/**
 * A generous estimate of how many tokens `text` takes. Counted by the regular-expression engine,
 * not a loop in script: a loop over a 1 MB reply runs cold (it runs once per open), 60-160 ms on
 * this machine in the task that opens the conversation. A surrogate pair is one wide character.
 */
export function estimateTokens(text: string): number {
  const wideUnits = text.replace(NOT_WIDE, '').length;
  const pairs = SURROGATE.test(text) ? (text.match(SURROGATE_PAIR)?.length ?? 0) : 0;
  return wideUnits - pairs + Math.ceil((text.length - wideUnits) / 3);
}

/** How many tokens a text takes: the tokenizer's count, or {@link estimateTokens}. */
export type CountTokens = (text: string) => number;

export function estimateTurns(turns: readonly ChatTurn[], count: CountTokens = estimateTokens): number {
  return turns.reduce((sum, turn) => sum + count(turn.content) + TURN_OVERHEAD, 0);
}

export interface FittedPrompt {
  turns: ChatTurn[];
  /** Id of the oldest message the model still sees; undefined when it sees them all. */
  memoryStartId: string | undefined;
  promptTokens: number;
  /** New tokens the reply may take. */
  maxTokens: number;
  /** The newest message alone does not fit: nothing can be sent. */
  tooLong: boolean;
}

/**
 * Keeps the newest messages that fit in `contextWindow` with room for a reply of up to
 * `maxTokens` (at most half the window when history must be dropped). A newest question too long
 * for that is sent alone if it leaves MIN_REPLY_TOKENS for the reply.
 */
export function fitPrompt(
  messages: readonly StoredMessage[],
  contextWindow: number,
  maxTokens: number,
  systemPrompt = '',
  /** Ask a user who writes Traditional Chinese or Cantonese to be answered in it. */
  answerLanguage = false,
  count: CountTokens = estimateTokens,
): FittedPrompt {
  const system = systemPrompt.trim() ? count(systemPrompt) + 2 : 0;
  const reserve = Math.min(maxTokens, Math.max(MIN_REPLY_TOKENS, Math.floor(contextWindow / 2)));
  const budget = contextWindow - reserve - system;
  // Walk back one user turn (and what follows it) at a time, so no reply is kept without its question.
  let start = messages.length;
  let used = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const turn = turnOf(messages[i]);
    used += turn ? count(turn.content) + TURN_OVERHEAD : 0;
    if (used > budget) break;
    if (messages[i].role === 'user') start = i;
  }
  // A long newest question may still be sent alone, with the least room for the reply.
  const lastUser = messages.findLastIndex((message) => message.role === 'user');
  if (start === messages.length && lastUser !== -1) {
    const alone = estimateTurns(buildTurns(messages.slice(lastUser)), count) + system;
    if (alone <= contextWindow - MIN_REPLY_TOKENS) start = lastUser;
  }
  const built = buildTurns(messages.slice(start), systemPrompt);
  const turns = answerLanguage ? withAnswerLanguage(built) : built;
  const promptTokens = estimateTurns(turns, count);
  const tooLong = start === messages.length;
  return {
    turns,
    memoryStartId: start > 0 && !tooLong ? messages[start].id : undefined,
    promptTokens,
    maxTokens: Math.max(Math.min(maxTokens, contextWindow - promptTokens), 0),
    tooLong,
  };
}
