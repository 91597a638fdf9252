/**
 * Chat history in IndexedDB, behind this one module. One key per conversation (`conversation:<id>`)
 * and beside it a small summary (`summary:<id>`) that the list reads, so showing 1,000 chats never
 * reads 100,000 messages. Every change is a read-modify-write of one conversation and its summary in
 * a single readwrite transaction (IndexedDB runs those one after another, also across tabs), so two
 * tabs writing at once never drop a message, and there is no shared index key to fight over.
 * Every function takes its store last, so tests can pass another.
 */
import type { UseStore } from 'idb-keyval';
import { summarize, type Conversation, type ConversationSummary, type StoredMessage } from './records';
import { placeImported, type CopyNaming } from './transfer';
import { readConversation, readSummary, reportDamaged } from './validate';

export {
  SCHEMA_VERSION,
  summarize,
  type Conversation,
  type ConversationSummary,
  type MessageStatus,
  type StoredMessage,
} from './records';

const CONVERSATION_PREFIX = 'conversation:';
const SUMMARY_PREFIX = 'summary:';

const conversationKey = (id: string) => `${CONVERSATION_PREFIX}${id}`;
const summaryKey = (id: string) => `${SUMMARY_PREFIX}${id}`;
const prefixRange = (prefix: string) => IDBKeyRange.bound(prefix, `${prefix}\uffff`);
const idOf = (key: IDBValidKey, prefix: string) => String(key).slice(prefix.length);

/** A stored conversation this release cannot read (written by a newer one): never overwritten. */
export class UnreadableRecordError extends Error {
  override readonly name = 'UnreadableRecordError';
  constructor(readonly conversationId: string) {
    super(`Conversation ${conversationId} was written by a newer version or is damaged`);
  }
}

/** The database connection was closed for another tab's upgrade: this page must reload. */
export class ClosedForUpgradeError extends Error {
  override readonly name = 'ClosedForUpgradeError';
  constructor() {
    super('The database was upgraded by a newer version of the app in another tab');
  }
}

const DB_NAME = 'harbour-chat';
const STORE_NAME = 'conversations';

/**
 * The app's own database, created on first use. Like idb-keyval's `createStore`, but a connection
 * asked to close for another tab's upgrade (`versionchange`) closes at once — an open connection
 * would block that upgrade indefinitely — and says so; later calls fail with ClosedForUpgradeError.
 */
export function openHistoryStore(events: { onVersionChange?: () => void } = {}): UseStore {
  let database: Promise<IDBDatabase> | undefined;
  let closed = false;
  const connect = () => {
    database ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(DB_NAME);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE_NAME);
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => {
          db.close();
          closed = true;
          events.onVersionChange?.();
        };
        db.onclose = () => (database = undefined);
        resolve(db);
      };
      request.onerror = () => {
        database = undefined;
        reject(request.error ?? new DOMException('The database could not be opened', 'UnknownError'));
      };
    });
    return database;
  };
  return async (mode, callback) => {
    if (closed) throw new ClosedForUpgradeError();
    const db = await connect();
    return callback(db.transaction(STORE_NAME, mode).objectStore(STORE_NAME));
  };
}

let defaultStore: UseStore | undefined;
/** The store the app uses, opened lazily. */
export function historyStore(): UseStore {
  defaultStore ??= openHistoryStore();
  return defaultStore;
}

interface Outcome<T> {
  value?: T;
  error?: unknown;
}

/**
 * Runs `body` in one transaction and resolves with `outcome.value` once it has committed. A throw
 * inside `body` or inside a callback wrapped with `guard` aborts the whole transaction.
 */
function transact<T>(
  store: UseStore,
  mode: IDBTransactionMode,
  body: (os: IDBObjectStore, outcome: Outcome<T>, guard: (fn: () => void) => () => void) => void,
): Promise<T> {
  return store(
    mode,
    (os) =>
      new Promise<T>((resolve, reject) => {
        const tx = os.transaction;
        const outcome: Outcome<T> = {};
        const fail = () =>
          reject(outcome.error ?? tx.error ?? new DOMException('The transaction was aborted', 'AbortError'));
        tx.oncomplete = () => resolve(outcome.value as T);
        tx.onabort = fail;
        tx.onerror = fail;
        const guard = (fn: () => void) => () => {
          try {
            fn();
          } catch (error) {
            outcome.error = error;
            tx.abort();
          }
        };
        guard(() => body(os, outcome, guard))();
      }),
  );
}

function writeBoth(os: IDBObjectStore, conversation: Conversation): void {
  os.put(conversation, conversationKey(conversation.id));
  os.put(summarize(conversation), summaryKey(conversation.id));
}

/** The stored value as a current conversation; throws rather than let a newer record be replaced. */
function readable(id: string, raw: unknown): Conversation | undefined {
  if (raw === undefined) return undefined;
  const conversation = readConversation(raw);
  if (!conversation) {
    reportDamaged(conversationKey(id));
    throw new UnreadableRecordError(id);
  }
  return conversation;
}

/** The stored value as a conversation; a damaged one is reported and read as absent. */
function shown(key: string, raw: unknown): Conversation | undefined {
  if (raw === undefined) return undefined;
  const conversation = readConversation(raw);
  if (!conversation) reportDamaged(key);
  return conversation;
}

/** The summaries that can be shown; a damaged one is rebuilt from its conversation. */
const readSummaries = (all: unknown[]): ConversationSummary[] =>
  all.map(readSummary).filter((s): s is ConversationSummary => s !== undefined);

/** Fails when storage cannot be opened at all (private mode, blocked or missing IndexedDB). */
export async function probeStore(store = historyStore()): Promise<void> {
  await transact<number>(store, 'readonly', (os, outcome, guard) => {
    const request = os.count();
    request.onsuccess = guard(() => (outcome.value = request.result));
  });
}

/** Summaries of every conversation, most recently updated first. Reads no conversation. */
export async function listSummaries(store = historyStore()): Promise<ConversationSummary[]> {
  const all = await transact<unknown[]>(store, 'readonly', (os, outcome, guard) => {
    const request = os.getAll(prefixRange(SUMMARY_PREFIX));
    request.onsuccess = guard(() => (outcome.value = request.result));
  });
  return readSummaries(all).sort(newestFirst);
}

export function getSummary(id: string, store = historyStore()): Promise<ConversationSummary | undefined> {
  return transact(store, 'readonly', (os, outcome, guard) => {
    const request = os.get(summaryKey(id));
    request.onsuccess = guard(() => (outcome.value = readSummary(request.result)));
  });
}

const newestFirst = (a: { updatedAt: number; id: string }, b: { updatedAt: number; id: string }) =>
  b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The list's summaries, after making every conversation have one: missing summaries are built (data
 * from before summaries existed, or from an older schema, which is migrated and written back) and
 * summaries whose conversation is gone are dropped. Usually this reads only keys and summaries.
 */
export async function loadSummaryList(store = historyStore()): Promise<ConversationSummary[]> {
  const { conversationIds, summaries } = await transact<{ conversationIds: string[]; summaries: unknown[] }>(
    store,
    'readonly',
    (os, outcome, guard) => {
      const keys = os.getAllKeys(prefixRange(CONVERSATION_PREFIX));
      const values = os.getAll(prefixRange(SUMMARY_PREFIX));
      values.onsuccess = guard(() => {
        outcome.value = {
          conversationIds: keys.result.map((key) => idOf(key, CONVERSATION_PREFIX)),
          summaries: values.result,
        };
      });
    },
  );
  const valid = readSummaries(summaries);
  const summarized = new Set(valid.map((s) => s.id));
  const present = new Set(conversationIds);
  const missing = conversationIds.filter((id) => !summarized.has(id));
  const orphans = [...summarized].filter((id) => !present.has(id));
  if (missing.length === 0 && orphans.length === 0) return valid.sort(newestFirst);
  for (const id of missing) {
    try {
      await updateConversation(id, (stored) => stored, store);
    } catch (cause) {
      // A record from a newer release, or damaged: leave it exactly as it is.
      console.warn('[history] left an unreadable conversation untouched', id, cause);
    }
  }
  for (const id of orphans) {
    await transact<void>(store, 'readwrite', (os, _outcome, guard) => {
      const request = os.get(conversationKey(id));
      request.onsuccess = guard(() => {
        if (request.result === undefined) os.delete(summaryKey(id));
      });
    });
  }
  return listSummaries(store);
}

/** Every readable conversation, most recently updated first (export reads them all; the list does not). */
export async function listConversations(store = historyStore()): Promise<Conversation[]> {
  const { keys, values } = await transact<{ keys: IDBValidKey[]; values: unknown[] }>(
    store,
    'readonly',
    (os, outcome, guard) => {
      const keyRequest = os.getAllKeys(prefixRange(CONVERSATION_PREFIX));
      const request = os.getAll(prefixRange(CONVERSATION_PREFIX));
      request.onsuccess = guard(() => (outcome.value = { keys: keyRequest.result, values: request.result }));
    },
  );
  return values
    .map((raw, index) => shown(String(keys[index]), raw))
    .filter((c): c is Conversation => c !== undefined)
    .sort(newestFirst);
}

export function getConversation(id: string, store = historyStore()): Promise<Conversation | undefined> {
  return transact(store, 'readonly', (os, outcome, guard) => {
    const request = os.get(conversationKey(id));
    request.onsuccess = guard(() => (outcome.value = shown(conversationKey(id), request.result)));
  });
}

/** Whether anything is stored under the conversation `id`, readable or not. */
export function hasConversation(id: string, store = historyStore()): Promise<boolean> {
  return transact(store, 'readonly', (os, outcome, guard) => {
    const request = os.count(conversationKey(id));
    request.onsuccess = guard(() => (outcome.value = request.result > 0));
  });
}

/** Writes the conversation as given, replacing any stored copy, with its summary. */
export function putConversation(conversation: Conversation, store = historyStore()): Promise<void> {
  return updateConversation(conversation.id, () => conversation, store).then(() => undefined);
}

/**
 * Changes one conversation and its summary atomically. `change` gets the stored copy (undefined if
 * none) and returns the new one, or undefined to leave it as it is. Resolves with what is stored.
 */
export function updateConversation(
  id: string,
  change: (stored: Conversation | undefined) => Conversation | undefined,
  store = historyStore(),
): Promise<Conversation | undefined> {
  return transact(store, 'readwrite', (os, outcome, guard) => {
    const request = os.get(conversationKey(id));
    request.onsuccess = guard(() => {
      const stored = readable(id, request.result);
      const next = change(stored);
      if (next) writeBoth(os, next);
      outcome.value = next ?? stored;
    });
  });
}

/** Deletes one conversation and its summary; resolves with what was deleted (for undo). */
export function deleteConversation(id: string, store = historyStore()): Promise<Conversation | undefined> {
  return transact(store, 'readwrite', (os, outcome, guard) => {
    const request = os.get(conversationKey(id));
    request.onsuccess = guard(() => {
      outcome.value = readConversation(request.result);
      os.delete(conversationKey(id));
      os.delete(summaryKey(id));
    });
  });
}

export interface MessageWrite {
  /** When set, the conversation's messages are replaced by these before `messages` are applied. */
  replaceAll?: StoredMessage[];
  /** Messages to put, each replacing a stored message with the same id or else appended. */
  messages: StoredMessage[];
}

/**
 * Saves messages of `conversation` (its own `messages` are not read), creating it when it is not
 * stored, and makes its `currentId` the stored one. The stored title wins over the given one, so a
 * rename in another tab is kept. Only a write with messages moves the conversation up the list.
 */
export function saveMessages(
  conversation: Conversation,
  write: MessageWrite,
  store = historyStore(),
): Promise<Conversation | undefined> {
  return updateConversation(
    conversation.id,
    (stored) => {
      const base = stored ?? { ...conversation, messages: [] };
      const messages = [...(write.replaceAll ?? base.messages)];
      for (const message of write.messages) {
        const index = messages.findIndex((m) => m.id === message.id);
        if (index === -1) messages.push(message);
        else messages[index] = message;
      }
      const changed = write.replaceAll !== undefined || write.messages.length > 0;
      return {
        ...base,
        title: base.title || conversation.title,
        messages,
        currentId: conversation.currentId ?? base.currentId,
        updatedAt: changed ? Date.now() : base.updatedAt,
      };
    },
    store,
  );
}

/** Puts `message` into the conversation, replacing a stored message with the same id. */
export async function upsertMessage(
  conversation: Conversation,
  message: StoredMessage,
  store = historyStore(),
): Promise<void> {
  await saveMessages(conversation, { messages: [message] }, store);
}

/** Marks the given replies, if still stored as streaming, as interrupted. Resolves with the result. */
export function markInterrupted(
  id: string,
  messageIds: ReadonlySet<string>,
  store = historyStore(),
): Promise<Conversation | undefined> {
  return updateConversation(
    id,
    (stored) => {
      const hit = (m: StoredMessage) => m.status === 'streaming' && messageIds.has(m.id);
      if (!stored?.messages.some(hit)) return undefined;
      return {
        ...stored,
        messages: stored.messages.map((m) => (hit(m) ? { ...m, status: 'interrupted' as const } : m)),
      };
    },
    store,
  );
}

/** How many conversations one search request reads: fewer round trips than a cursor, bounded memory. */
const SEARCH_BATCH = 50;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Ids of the conversations whose title or message text contains `query` (ignoring case). It reads
 * the conversations in batches and runs only when the user searches; the list never waits for it.
 */
export function searchConversations(query: string, store = historyStore()): Promise<Set<string>> {
  const needle = query.trim();
  return transact(store, 'readonly', (os, outcome, guard) => {
    const found = new Set<string>();
    outcome.value = found;
    if (!needle) return;
    const pattern = new RegExp(escapeRegExp(needle), 'i');
    const matches = (c: Conversation) =>
      pattern.test(c.title) || c.messages.some((m) => pattern.test(m.content));
    const end = `${CONVERSATION_PREFIX}\uffff`;
    const readBatch = (range: IDBKeyRange) => {
      const values = os.getAll(range, SEARCH_BATCH);
      const keys = os.getAllKeys(range, SEARCH_BATCH);
      keys.onsuccess = guard(() => {
        for (const raw of values.result) {
          const conversation = readConversation(raw);
          if (conversation && matches(conversation)) found.add(conversation.id);
        }
        const last = keys.result.at(-1);
        if (keys.result.length === SEARCH_BATCH && last !== undefined) {
          readBatch(IDBKeyRange.bound(last, end, true, false));
        }
      });
    };
    readBatch(prefixRange(CONVERSATION_PREFIX));
  });
}

/** Messages of both, each list in its own order, merged by time; the stored one's first on ties. */
function mergeMessages(stored: StoredMessage[], extra: StoredMessage[]): StoredMessage[] {
  const merged: StoredMessage[] = [];
  let i = 0;
  let j = 0;
  while (i < stored.length || j < extra.length) {
    if (j >= extra.length || (i < stored.length && stored[i].createdAt <= extra[j].createdAt)) {
      merged.push(stored[i++]);
    } else {
      merged.push(extra[j++]);
    }
  }
  return merged;
}

/**
 * The messages of a conversation on screen after re-reading it: the stored ones, except those `mine`
 * (being generated or written by this tab), which stay as on screen, plus those not stored yet.
 */
export function mergeOpenMessages(
  onScreen: StoredMessage[],
  stored: StoredMessage[],
  mine: (id: string) => boolean,
): StoredMessage[] {
  const local = new Map(onScreen.map((m) => [m.id, m]));
  const storedIds = new Set(stored.map((m) => m.id));
  return [
    ...stored.map((m) => (mine(m.id) ? (local.get(m.id) ?? m) : m)),
    ...onScreen.filter((m) => !storedIds.has(m.id)),
  ];
}

/** The stored conversation with the incoming one's messages it lacks; the same object if none. */
export function mergeConversation(stored: Conversation, incoming: Conversation): Conversation {
  const known = new Set(stored.messages.map((m) => m.id));
  const extra = incoming.messages.filter((m) => !known.has(m.id));
  if (extra.length === 0) return stored;
  return {
    ...stored,
    messages: mergeMessages(stored.messages, extra),
    updatedAt: Math.max(stored.updatedAt, incoming.updatedAt),
    currentId: stored.currentId ?? incoming.currentId,
  };
}

export interface MergeCounts {
  added: number;
  merged: number;
  unchanged: number;
}

/**
 * Writes many conversations in one transaction, all or nothing. A conversation already stored (same
 * id) gains only the messages it lacks (same message id = same message, the stored copy is kept),
 * so writing the same conversations twice changes nothing the second time.
 */
export function mergeConversations(incoming: Conversation[], store = historyStore()): Promise<MergeCounts> {
  return transact(store, 'readwrite', (os, outcome, guard) => {
    const counts: MergeCounts = { added: 0, merged: 0, unchanged: 0 };
    outcome.value = counts;
    const raws: unknown[] = new Array<unknown>(incoming.length);
    let waiting = incoming.length;
    const writeAll = () => {
      incoming.forEach((conversation, index) => {
        const stored = readable(conversation.id, raws[index]);
        if (!stored) {
          writeBoth(os, conversation);
          counts.added++;
          return;
        }
        const merged = mergeConversation(stored, conversation);
        if (merged === stored) {
          counts.unchanged++;
        } else {
          writeBoth(os, merged);
          counts.merged++;
        }
      });
    };
    incoming.forEach((conversation, index) => {
      const request = os.get(conversationKey(conversation.id));
      request.onsuccess = guard(() => {
        raws[index] = request.result;
        if (--waiting === 0) writeAll();
      });
    });
  });
}

export interface ImportCounts {
  added: number;
  /** Conversations whose id was taken by a different stored one: written beside it under a new id. */
  copied: number;
  unchanged: number;
}

/**
 * Writes imported conversations in one transaction, all or nothing. A file never adds to a stored
 * conversation: one with a stored conversation's id is skipped when it is the same, and otherwise
 * written as a new copy beside it (./transfer.ts, placeImported).
 */
export function addImported(
  incoming: Conversation[],
  naming: CopyNaming,
  store = historyStore(),
): Promise<ImportCounts> {
  return transact(store, 'readwrite', (os, outcome, guard) => {
    const counts: ImportCounts = { added: 0, copied: 0, unchanged: 0 };
    outcome.value = counts;
    const raws: unknown[] = new Array<unknown>(incoming.length);
    let waiting = incoming.length;
    const writeAll = () => {
      incoming.forEach((conversation, index) => {
        const raw = raws[index];
        // A stored record this release cannot read still holds the id: the import goes beside it.
        const stored = raw === undefined ? undefined : (readConversation(raw) ?? 'unreadable');
        const placed = placeImported(conversation, stored, naming);
        if (placed.kind === 'same') counts.unchanged++;
        else {
          writeBoth(os, placed.conversation);
          counts[placed.kind === 'copy' ? 'copied' : 'added']++;
        }
      });
    };
    incoming.forEach((conversation, index) => {
      const request = os.get(conversationKey(conversation.id));
      request.onsuccess = guard(() => {
        raws[index] = request.result;
        if (--waiting === 0) writeAll();
      });
    });
  });
}
