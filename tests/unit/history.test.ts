import 'fake-indexeddb/auto';
import { createStore, get, set, type UseStore } from 'idb-keyval';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  SCHEMA_VERSION,
  UnreadableRecordError,
  deleteConversation,
  getConversation,
  getSummary,
  listConversations,
  listSummaries,
  loadSummaryList,
  markInterrupted,
  mergeConversations,
  putConversation,
  saveMessages,
  searchConversations,
  updateConversation,
  upsertMessage,
  type Conversation,
  type StoredMessage,
} from '../../src/lib/storage/history';

let store: UseStore;
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

function message(id: string, content = id, createdAt = 1): StoredMessage {
  return { id, role: 'user', content, createdAt, status: 'done' };
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
    expect((await listSummaries(store)).map((s) => s.id)).toEqual(['new', 'mid', 'old']);
  });

  it('deletes one conversation and its summary, and hands back what it deleted', async () => {
    await putConversation(conversation('a', 1, [message('m1')]), store);
    await putConversation(conversation('b', 2), store);
    const removed = await deleteConversation('a', store);
    expect(removed?.messages).toHaveLength(1);
    expect((await listConversations(store)).map((c) => c.id)).toEqual(['b']);
    expect(await getSummary('a', store)).toBeUndefined();
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
    expect((await getSummary('a', store))?.messageCount).toBe(50);
  });

  it('writes the summary in the same transaction as the conversation', async () => {
    await putConversation(conversation('a', 5, [message('m1'), message('m2')]), store);
    expect(await getSummary('a', store)).toEqual({
      schemaVersion: SCHEMA_VERSION,
      id: 'a',
      title: 'Chat a',
      createdAt: 5,
      updatedAt: 5,
      messageCount: 2,
    });
    // A change that throws aborts the whole transaction: neither record changes.
    await expect(
      updateConversation(
        'a',
        () => {
          throw new Error('boom');
        },
        store,
      ),
    ).rejects.toThrow('boom');
    expect((await getSummary('a', store))?.messageCount).toBe(2);
  });

  it('keeps a title renamed elsewhere when a message is saved with the old one', async () => {
    const c = conversation('a', 1);
    await upsertMessage(c, message('m1'), store);
    await updateConversation('a', (stored) => stored && { ...stored, title: 'Renamed' }, store);
    await upsertMessage(c, message('m2'), store);
    expect((await getConversation('a', store))?.title).toBe('Renamed');
    expect((await getSummary('a', store))?.title).toBe('Renamed');
  });

  it('replaces all messages when asked (regenerate, edit)', async () => {
    const c = conversation('a', 1);
    await saveMessages(c, { messages: [message('m1'), message('m2'), message('m3')] }, store);
    await saveMessages(c, { replaceAll: [message('m1')], messages: [message('m4')] }, store);
    expect((await getConversation('a', store))?.messages.map((m) => m.id)).toEqual(['m1', 'm4']);
  });

  it('marks replies left streaming as interrupted, and only those', async () => {
    const streaming = { ...message('r1'), role: 'assistant' as const, status: 'streaming' as const };
    await putConversation(conversation('a', 1, [message('m1'), streaming]), store);
    const marked = await markInterrupted('a', new Set(['r1', 'm1']), store);
    expect(marked?.messages.map((m) => m.status)).toEqual(['done', 'interrupted']);
    expect(await markInterrupted('a', new Set(['r1']), store)).toEqual(marked);
  });

  it('searches titles and message text, ignoring case', async () => {
    await putConversation(conversation('a', 1, [message('m1', 'The Harbour at night')]), store);
    await putConversation(conversation('b', 2, [message('m2', '維多利亞港')]), store);
    await putConversation({ ...conversation('c', 3), title: 'Night thoughts' }, store);
    expect([...(await searchConversations('NIGHT', store))].sort()).toEqual(['a', 'c']);
    expect([...(await searchConversations('多利', store))]).toEqual(['b']);
    expect((await searchConversations('   ', store)).size).toBe(0);
    await putConversation(conversation('d', 4, [message('m3', 'Is 1+1 (really) 2?')]), store);
    expect([...(await searchConversations('1+1 (REALLY)', store))]).toEqual(['d']);
    expect((await searchConversations('.*', store)).size).toBe(0);
  });
});

describe('summaries for data written before they existed', () => {
  it('builds missing summaries, migrates old records and drops orphans', async () => {
    await set('conversation:v1', conversation('v1', 2, [message('m1')]), store);
    await set(
      'conversation:v0',
      { id: 'v0', title: 'Old', created: 1, messages: [{ role: 'user', text: 'hi', time: 1 }] },
      store,
    );
    await set('summary:gone', { ...conversation('gone', 9), messageCount: 0, messages: undefined }, store);
    const summaries = await loadSummaryList(store);
    expect(summaries.map((s) => [s.id, s.messageCount])).toEqual([
      ['v1', 1],
      ['v0', 1],
    ]);
    // The v0 record was written back in the current shape.
    expect(await get('conversation:v0', store)).toMatchObject({
      schemaVersion: 2,
      messages: [{ content: 'hi' }],
    });
    expect(await get('summary:gone', store)).toBeUndefined();
  });

  it('never overwrites a record from a newer release', async () => {
    const future = { schemaVersion: 99, id: 'f', shape: 'unknown' };
    await set('conversation:f', future, store);
    expect(await loadSummaryList(store)).toEqual([]);
    await expect(upsertMessage(conversation('f', 1), message('m1'), store)).rejects.toBeInstanceOf(
      UnreadableRecordError,
    );
    expect(await get('conversation:f', store)).toEqual(future);
  });
});

describe('merging many conversations (import, undo)', () => {
  it('adds new ones, adds only missing messages to known ones, and changes nothing the second time', async () => {
    await putConversation(conversation('a', 5, [message('m1', 'one', 1), message('m3', 'three', 3)]), store);
    const incoming = [
      conversation('a', 6, [message('m1', 'one (other copy)', 1), message('m2', 'two', 2)]),
      conversation('b', 4, [message('x')]),
    ];
    expect(await mergeConversations(incoming, store)).toEqual({ added: 1, merged: 1, unchanged: 0 });
    const a = await getConversation('a', store);
    expect(a?.messages.map((m) => m.content)).toEqual(['one', 'two', 'three']);
    expect(a?.updatedAt).toBe(6);
    expect(await mergeConversations(incoming, store)).toEqual({ added: 0, merged: 0, unchanged: 2 });
    expect(await listSummaries(store)).toHaveLength(2);
  });

  it('writes all or nothing', async () => {
    await set('conversation:f', { schemaVersion: 99, id: 'f' }, store);
    const incoming = [conversation('new', 1, [message('m')]), conversation('f', 2)];
    await expect(mergeConversations(incoming, store)).rejects.toBeInstanceOf(UnreadableRecordError);
    expect(await getConversation('new', store)).toBeUndefined();
    expect(await getSummary('new', store)).toBeUndefined();
  });
});
