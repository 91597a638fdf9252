/**
 * What the app reads back from its own storage is checked before anything renders it: IndexedDB
 * records, the localStorage copy of unsaved text and BroadcastChannel messages can all be damaged
 * (a crashed write, a browser bug, another same-origin page). A damaged conversation is skipped and
 * left exactly as stored (never rewritten); a wrong-typed optional detail of a message (its stats,
 * model, timing) is dropped instead, since losing it costs nothing. Checks are by `typeof`, so
 * reading the list of 1,000 chats stays cheap (only summaries are read there).
 */
import { engineErrorNames, type GenerationStats } from '../../shared/engine';
import type { HistoryChange } from '../tabs';
import { migrate, reopenCutThoughts } from './migrate';
import {
  SCHEMA_VERSION,
  messageStatuses,
  type Conversation,
  type ConversationSummary,
  type StoredMessage,
} from './records';

/** The largest time a JavaScript Date can hold; beyond it, formatting a date throws. */
const DATE_LIMIT_MS = 8.64e15;

/** A time the page can show: finite and inside the range of a Date. */
export const isShowableTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= DATE_LIMIT_MS;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isAmount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

const finishReasons: readonly unknown[] = ['stop', 'length', 'abort'];

function readStats(raw: unknown): GenerationStats | undefined {
  if (!isRecord(raw) || !finishReasons.includes(raw.finishReason)) return undefined;
  const {
    promptTokens,
    completionTokens,
    timeToFirstTokenMs,
    prefillTokensPerSecond,
    decodeTokensPerSecond,
  } = raw;
  if (
    !isAmount(promptTokens) ||
    !isAmount(completionTokens) ||
    !isAmount(timeToFirstTokenMs) ||
    !isAmount(prefillTokensPerSecond) ||
    !isAmount(decodeTokensPerSecond)
  ) {
    return undefined;
  }
  return { ...(raw as unknown as GenerationStats) };
}

/** A stored message, with wrong-typed optional details dropped; undefined when it cannot be shown. */
export function readMessage(raw: unknown): StoredMessage | undefined {
  if (!isRecord(raw)) return undefined;
  const { id, parentId, role, content, createdAt, status } = raw;
  if (typeof id !== 'string' || typeof content !== 'string' || !isShowableTime(createdAt)) return undefined;
  if (role !== 'user' && role !== 'assistant') return undefined;
  if (!messageStatuses.includes(status as StoredMessage['status'])) return undefined;
  if (parentId !== undefined && typeof parentId !== 'string') return undefined;
  const message: StoredMessage = { ...(raw as unknown as StoredMessage) };
  if (raw.stats !== undefined && !readStats(raw.stats)) delete message.stats;
  if (raw.thoughtMs !== undefined && !isAmount(raw.thoughtMs)) delete message.thoughtMs;
  if (raw.modelId !== undefined && typeof raw.modelId !== 'string') delete message.modelId;
  if (raw.error !== undefined && !engineErrorNames.includes(raw.error as never)) delete message.error;
  return message;
}

/**
 * A current-version conversation whose every message can be shown, or undefined. Messages are
 * checked, never dropped: a conversation missing one would be written back without it.
 */
export function readCurrentConversation(raw: unknown): Conversation | undefined {
  if (!isRecord(raw) || raw.schemaVersion !== SCHEMA_VERSION) return undefined;
  const { id, title, createdAt, updatedAt, messages, currentId, topic } = raw;
  if (typeof id !== 'string' || typeof title !== 'string' || !Array.isArray(messages)) return undefined;
  if (!isShowableTime(createdAt) || !isShowableTime(updatedAt)) return undefined;
  const checked: StoredMessage[] = [];
  for (const message of messages) {
    const read = readMessage(message);
    if (!read) return undefined;
    checked.push(read);
  }
  const conversation: Conversation = { ...(raw as unknown as Conversation), messages: checked };
  if (currentId !== undefined && typeof currentId !== 'string') delete conversation.currentId;
  if (topic !== undefined && topic !== 'health' && topic !== 'law') delete conversation.topic;
  return conversation;
}

/** A stored value (of any release this one reads) as a checked current conversation, or undefined. */
export function readConversation(raw: unknown): Conversation | undefined {
  const lifted = migrate(raw);
  const checked = lifted && readCurrentConversation(lifted);
  // Repaired after the check: the repair reads every message, which a damaged record may lack.
  return checked && reopenCutThoughts(checked);
}

/** A summary the list can show, or undefined (the list then rebuilds it from its conversation). */
export function readSummary(raw: unknown): ConversationSummary | undefined {
  if (!isRecord(raw)) return undefined;
  const { schemaVersion, id, title, createdAt, updatedAt, messageCount } = raw;
  if (typeof schemaVersion !== 'number' || schemaVersion < 1 || schemaVersion > SCHEMA_VERSION)
    return undefined;
  if (typeof id !== 'string' || typeof title !== 'string' || !isAmount(messageCount)) return undefined;
  if (!isShowableTime(updatedAt) || !isShowableTime(createdAt)) return undefined;
  return raw as unknown as ConversationSummary;
}

/** A message on the history channel, or undefined when it is not one. It only names what to re-read. */
export function readChange(raw: unknown): HistoryChange | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.kind === 'many') return { kind: 'many' };
  if (
    (raw.kind === 'saved' || raw.kind === 'deleted') &&
    typeof raw.id === 'string' &&
    raw.id.length <= 200
  ) {
    return { kind: raw.kind, id: raw.id };
  }
  return undefined;
}

/** Hears about stored records that could not be read; each record is told once per page. */
type DamageListener = (count: number) => void;

const damagedKeys = new Set<string>();
const listeners = new Set<DamageListener>();

/** Notes that the record under `key` could not be read (damaged, or written by a newer release). */
export function reportDamaged(key: string): void {
  if (damagedKeys.has(key)) return;
  damagedKeys.add(key);
  console.warn('[storage] a stored record could not be read and was left as it is', key);
  for (const listener of listeners) listener(damagedKeys.size);
}

/** Calls `listener` with the number of unreadable records whenever a new one is found. */
export function onDamaged(listener: DamageListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
