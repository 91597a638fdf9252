/**
 * Chat history in IndexedDB, behind this one module. One key per conversation, so two tabs writing
 * different conversations never touch the same record; every read-modify-write goes through
 * idb-keyval's `update()`, which runs in a single readwrite transaction. Every function takes its
 * store last, so tests can pass another.
 */
import { createStore, del, get, set, update, values, type UseStore } from 'idb-keyval';
import type { EngineErrorName, GenerationStats } from '../../shared/engine';

export const SCHEMA_VERSION = 1;

export type MessageStatus = 'done' | 'streaming' | 'stopped' | 'error';

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
}

const KEY_PREFIX = 'conversation:';

/** The app's own database, created on first use. */
export function openHistoryStore(): UseStore {
  return createStore('harbour-chat', 'conversations');
}

let defaultStore: UseStore | undefined;
function historyStore(): UseStore {
  defaultStore ??= openHistoryStore();
  return defaultStore;
}

const keyOf = (id: string) => `${KEY_PREFIX}${id}`;

function isConversation(value: unknown): value is Conversation {
  return (
    typeof value === 'object' &&
    value !== null &&
    'schemaVersion' in value &&
    'id' in value &&
    'messages' in value &&
    Array.isArray(value.messages)
  );
}

/** Every stored conversation, most recently updated first. */
export async function listConversations(store = historyStore()): Promise<Conversation[]> {
  const all = (await values(store)).filter(isConversation);
  return all.sort((a, b) => b.updatedAt - a.updatedAt);
}

export async function getConversation(id: string, store = historyStore()): Promise<Conversation | undefined> {
  const value: unknown = await get(keyOf(id), store);
  return isConversation(value) ? value : undefined;
}

export function putConversation(conversation: Conversation, store = historyStore()): Promise<void> {
  return set(keyOf(conversation.id), conversation, store);
}

/**
 * Changes one conversation atomically. `change` gets the stored copy (undefined if none) and
 * returns the new one, or undefined to leave the record as it is.
 */
export async function updateConversation(
  id: string,
  change: (stored: Conversation | undefined) => Conversation | undefined,
  store = historyStore(),
): Promise<void> {
  await update<unknown>(
    keyOf(id),
    (stored) => {
      const current = isConversation(stored) ? stored : undefined;
      return change(current) ?? stored;
    },
    store,
  );
}

export function deleteConversation(id: string, store = historyStore()): Promise<void> {
  return del(keyOf(id), store);
}

/** Puts `message` into the conversation, replacing a stored message with the same id. */
export function upsertMessage(
  conversation: Conversation,
  message: StoredMessage,
  store = historyStore(),
): Promise<void> {
  return updateConversation(
    conversation.id,
    (stored) => {
      const base = stored ?? { ...conversation, messages: [] };
      const index = base.messages.findIndex((m) => m.id === message.id);
      const messages =
        index === -1 ? [...base.messages, message] : base.messages.map((m, i) => (i === index ? message : m));
      return { ...base, title: base.title || conversation.title, messages, updatedAt: Date.now() };
    },
    store,
  );
}
