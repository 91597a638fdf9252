/**
 * The shapes of what is stored: a conversation (every message in one record) and its summary (what
 * the list needs, kept beside it so the list never reads whole conversations). Both carry
 * `schemaVersion`; older records are lifted by `migrate` in ./migrate.ts.
 */
import type { EngineErrorName, GenerationStats } from '../../shared/engine';

export const SCHEMA_VERSION = 1;

/** `interrupted`: the tab closed or crashed while the reply streamed; found so on the next load. */
export type MessageStatus = 'done' | 'streaming' | 'stopped' | 'error' | 'interrupted';

export const messageStatuses: readonly MessageStatus[] = [
  'done',
  'streaming',
  'stopped',
  'error',
  'interrupted',
];

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  /** For a reply: the raw model output, thought included. */
  content: string;
  createdAt: number;
  status: MessageStatus;
  modelId?: string;
  stats?: GenerationStats;
  /** How long the model thought before answering, measured while it streamed. */
  thoughtMs?: number;
  error?: EngineErrorName;
}

export interface Conversation {
  schemaVersion: typeof SCHEMA_VERSION;
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messages: StoredMessage[];
  /** Opened from a health or law starting point: its answers carry a "general information" note. */
  topic?: 'health' | 'law';
}

/** What the conversation list shows; written in the same transaction as its conversation. */
export interface ConversationSummary {
  schemaVersion: typeof SCHEMA_VERSION;
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messageCount: number;
}

export function summarize(conversation: Conversation): ConversationSummary {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: conversation.id,
    title: conversation.title,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
    messageCount: conversation.messages.length,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A current-version conversation, checked only as far as reading it safely needs. */
export function isConversation(value: unknown): value is Conversation {
  return (
    isRecord(value) &&
    value.schemaVersion === SCHEMA_VERSION &&
    typeof value.id === 'string' &&
    typeof value.title === 'string' &&
    typeof value.updatedAt === 'number' &&
    Array.isArray(value.messages)
  );
}

export function isSummary(value: unknown): value is ConversationSummary {
  return (
    isRecord(value) &&
    value.schemaVersion === SCHEMA_VERSION &&
    typeof value.id === 'string' &&
    typeof value.title === 'string' &&
    typeof value.updatedAt === 'number' &&
    typeof value.messageCount === 'number'
  );
}
