/**
 * A second place for text IndexedDB would not take (a full disk, a failing database): while writes
 * fail, the unsaved tail of each conversation is copied to localStorage, which has its own quota and
 * survives a closed tab. The next start writes it back into IndexedDB, never over longer text that
 * got there meanwhile, then drops the copy.
 */
import type { UseStore } from 'idb-keyval';
import { updateConversation } from './history';
import type { Conversation, StoredMessage } from './records';
import { readCurrentConversation, readMessage } from './validate';

const KEY = 'harbour-chat:unsaved';

/** One conversation's fields and the messages of it that were not written. */
export interface UnsavedTail {
  conversation: Conversation;
  messages: StoredMessage[];
}

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // blocked storage throws on access
  }
}

/** Keeps `tails` (replacing what was kept); an empty list drops the copy. False when nothing could hold it. */
export function saveUnsaved(tails: UnsavedTail[]): boolean {
  const local = storage();
  if (!local) return false;
  try {
    if (tails.length === 0) local.removeItem(KEY);
    else local.setItem(KEY, JSON.stringify(tails));
    return true;
  } catch {
    return false;
  }
}

/** One kept tail, checked like a stored record; a damaged one is dropped. */
function readTail(raw: unknown): UnsavedTail | undefined {
  if (typeof raw !== 'object' || raw === null || !('conversation' in raw) || !('messages' in raw))
    return undefined;
  const conversation = readCurrentConversation(raw.conversation);
  if (!conversation || !Array.isArray(raw.messages)) return undefined;
  const messages = raw.messages.map(readMessage).filter((m): m is StoredMessage => m !== undefined);
  return { conversation, messages };
}

/** What a tab kept aside and did not write back (what of it can be read). */
export function readUnsaved(): UnsavedTail[] {
  const raw = storage()?.getItem(KEY);
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.map(readTail).filter((tail): tail is UnsavedTail => tail !== undefined);
  } catch {
    return [];
  }
}

/** A message of the copy replaces the stored one only when it is new or holds more text. */
function withTail(stored: Conversation | undefined, tail: UnsavedTail): Conversation | undefined {
  const base = stored ?? { ...tail.conversation, messages: [] };
  const messages = [...base.messages];
  let changed = stored === undefined;
  for (const message of tail.messages) {
    const index = messages.findIndex((m) => m.id === message.id);
    if (index === -1) messages.push(message);
    else if (messages[index].content.length < message.content.length) messages[index] = message;
    else continue;
    changed = true;
  }
  if (!changed) return undefined;
  return {
    ...base,
    messages,
    currentId: tail.conversation.currentId ?? base.currentId,
    updatedAt: Date.now(),
  };
}

/** Writes back what was kept aside; resolves with how many conversations were written. */
export async function restoreUnsaved(store: UseStore): Promise<number> {
  const tails = readUnsaved();
  let written = 0;
  for (const tail of tails) {
    await updateConversation(tail.conversation.id, (stored) => withTail(stored, tail), store);
    written++;
  }
  if (tails.length > 0) saveUnsaved([]);
  return written;
}
