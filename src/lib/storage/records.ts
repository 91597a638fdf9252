/**
 * The shapes of what is stored: a conversation (every message in one record) and its summary (what
 * the list needs, kept beside it so the list never reads whole conversations). Both carry
 * `schemaVersion`; older records are lifted by `migrate` in ./migrate.ts.
 *
 * Since version 2 a conversation is a tree: every message names the one it follows (`parentId`), so
 * a regenerated answer or an edited question is a sibling of the one it replaces and nothing is
 * thrown away; `currentId` names the newest message of the path on screen (./tree.ts). The messages
 * stay one flat list in creation order, so a write is still "put this message by id" and two copies
 * of a conversation merge by message id.
 */
import type { EngineErrorName, GenerationStats } from '../../shared/engine';

export const SCHEMA_VERSION = 2;
/** Summaries did not change shape in version 2: version-1 summaries are read as they are. */
const OLDEST_SUMMARY_VERSION = 1;

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
  /** The message this one follows (a reply's question, a question's previous answer); none for a first question. */
  parentId?: string;
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
  /** Every version of every message, in the order they were created. */
  messages: StoredMessage[];
  /** The last message of the path on screen; the newest message when unset. */
  currentId?: string;
  /** Opened from a health or law starting point: its answers carry a "general information" note. */
  topic?: 'health' | 'law';
}

/** What the conversation list shows; written in the same transaction as its conversation. */
export interface ConversationSummary {
  schemaVersion: number;
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messageCount: number;
}

/** The fields every view of a conversation starts with, in their canonical order (exports keep it). */
export type ConversationHeader = Pick<
  Conversation,
  'schemaVersion' | 'id' | 'title' | 'createdAt' | 'updatedAt'
>;

export function conversationHeader(conversation: Conversation): ConversationHeader {
  return {
    schemaVersion: conversation.schemaVersion,
    id: conversation.id,
    title: conversation.title,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
  };
}

export function summarize(conversation: Conversation): ConversationSummary {
  return { ...conversationHeader(conversation), messageCount: conversation.messages.length };
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
    typeof value.schemaVersion === 'number' &&
    value.schemaVersion >= OLDEST_SUMMARY_VERSION &&
    value.schemaVersion <= SCHEMA_VERSION &&
    typeof value.id === 'string' &&
    typeof value.title === 'string' &&
    typeof value.updatedAt === 'number' &&
    typeof value.messageCount === 'number'
  );
}
