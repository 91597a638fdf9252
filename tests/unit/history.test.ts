import 'fake-indexeddb/auto';
import { createStore, set } from 'idb-keyval';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  SCHEMA_VERSION,
  deleteConversation,
  getConversation,
  listConversations,
  putConversation,
  upsertMessage,
  type Conversation,
  type StoredMessage,
} from '../../src/lib/storage/history';

let store: ReturnType<typeof createStore>;
let counter = 0;

beforeEach(() => {
  store = createStore(`test-${++counter}`, 'conversations');
});

function conversation(id: string, updatedAt: number, messages: StoredMessage[] = []): Conversation {
  return {
    schemaVersion: SCHEMA_VERSION,
    id,
    title: `Chat ${id}`,
    createdAt: updatedAt,
    updatedAt,
    messages,
  };
}

function message(id: string, content = id): StoredMessage {
  return { id, role: 'user', content, createdAt: 1, status: 'done' };
}

describe('history store', () => {
  it('round-trips a conversation', async () => {
    const c = conversation('a', 10, [message('m1')]);
    await putConversation(c, store);
    expect(await getConversation('a', store)).toEqual(c);
  });

  it('lists newest first and ignores foreign keys', async () => {
    await putConversation(conversation('old', 1), store);
    await putConversation(conversation('new', 3), store);
    await putConversation(conversation('mid', 2), store);
    await set('something-else', { hello: 1 }, store);
    expect((await listConversations(store)).map((c) => c.id)).toEqual(['new', 'mid', 'old']);
  });

  it('deletes one conversation only', async () => {
    await putConversation(conversation('a', 1), store);
    await putConversation(conversation('b', 2), store);
    await deleteConversation('a', store);
    expect((await listConversations(store)).map((c) => c.id)).toEqual(['b']);
  });

  it('creates the conversation on the first message and replaces a message by id', async () => {
    const c = conversation('a', 1);
    await upsertMessage(c, message('m1', 'first'), store);
    await upsertMessage(c, message('m1', 'first, longer'), store);
    await upsertMessage(c, message('m2', 'second'), store);
    const stored = await getConversation('a', store);
    expect(stored?.messages.map((m) => m.content)).toEqual(['first, longer', 'second']);
  });

  it('loses no message when many writes to one conversation race', async () => {
    const c = conversation('a', 1);
    await Promise.all(Array.from({ length: 50 }, (_, i) => upsertMessage(c, message(`m${i}`), store)));
    const stored = await getConversation('a', store);
    expect(stored?.messages).toHaveLength(50);
  });
});
