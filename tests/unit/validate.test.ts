import { describe, expect, it, vi } from 'vitest';
import { SCHEMA_VERSION, type Conversation } from '../../src/lib/storage/records';
import {
  onDamaged,
  readChange,
  readConversation,
  readMessage,
  readSummary,
  reportDamaged,
} from '../../src/lib/storage/validate';

const T = Date.UTC(2025, 5, 1);

const good: Conversation = {
  schemaVersion: SCHEMA_VERSION,
  id: 'c1',
  title: 'Ferries',
  createdAt: T,
  updatedAt: T,
  messages: [
    { id: 'q', role: 'user', content: 'Hi', createdAt: T, status: 'done' },
    {
      id: 'a',
      parentId: 'q',
      role: 'assistant',
      content: 'Hello',
      createdAt: T,
      status: 'done',
      stats: {
        promptTokens: 1,
        completionTokens: 2,
        timeToFirstTokenMs: 3,
        prefillTokensPerSecond: 4,
        decodeTokensPerSecond: 5,
        finishReason: 'stop',
      },
    },
  ],
  currentId: 'a',
};

describe('stored conversations', () => {
  it('reads a good one as it is', () => {
    expect(readConversation(structuredClone(good))).toEqual(good);
  });

  it('skips one with a null message, a message of the wrong shape, or a date a Date cannot hold', () => {
    expect(readConversation({ ...good, messages: [null] })).toBeUndefined();
    expect(readConversation({ ...good, messages: [{ ...good.messages[0], content: 5 }] })).toBeUndefined();
    expect(
      readConversation({ ...good, messages: [{ ...good.messages[0], role: 'system' }] }),
    ).toBeUndefined();
    expect(readConversation({ ...good, updatedAt: 1e308 })).toBeUndefined();
    expect(readConversation({ ...good, createdAt: Number.NaN })).toBeUndefined();
    expect(readConversation({ ...good, title: null })).toBeUndefined();
    expect(readConversation({ ...good, messages: 'none' })).toBeUndefined();
    expect(readConversation(null)).toBeUndefined();
    expect(readConversation({ ...good, schemaVersion: SCHEMA_VERSION + 1 })).toBeUndefined();
  });

  it('drops wrong-typed optional details of a message instead of failing on them', () => {
    const [question, answer] = good.messages;
    const damaged = {
      ...answer,
      stats: 'fast',
      thoughtMs: 'long',
      modelId: 7,
      error: 'NoSuchError',
    };
    const read = readConversation({ ...good, messages: [question, damaged], topic: 'cooking', currentId: 9 });
    expect(read?.messages[1]).toEqual({
      id: 'a',
      parentId: 'q',
      role: 'assistant',
      content: 'Hello',
      createdAt: T,
      status: 'done',
    });
    expect(read && 'topic' in read).toBe(false);
    expect(read && 'currentId' in read).toBe(false);
    expect(readMessage({ ...answer, stats: { ...answer.stats, promptTokens: '1' } })?.stats).toBeUndefined();
    expect(readMessage({ ...answer, stats: null })?.stats).toBeUndefined();
  });
});

describe('stored summaries', () => {
  const summary = {
    schemaVersion: 2,
    id: 'c1',
    title: 'Ferries',
    createdAt: T,
    updatedAt: T,
    messageCount: 2,
  };
  it('reads a good one and refuses a damaged one', () => {
    expect(readSummary(summary)).toEqual(summary);
    expect(readSummary({ ...summary, updatedAt: 1e308 })).toBeUndefined();
    expect(readSummary({ ...summary, messageCount: '2' })).toBeUndefined();
    expect(readSummary({ ...summary, title: undefined })).toBeUndefined();
    expect(readSummary(null)).toBeUndefined();
  });
});

describe('history channel messages', () => {
  it('passes on well-formed changes only', () => {
    expect(readChange({ kind: 'saved', id: 'c1' })).toEqual({ kind: 'saved', id: 'c1' });
    expect(readChange({ kind: 'deleted', id: 'c1', extra: 1 })).toEqual({ kind: 'deleted', id: 'c1' });
    expect(readChange({ kind: 'many' })).toEqual({ kind: 'many' });
    for (const bad of [null, undefined, 5, 'saved', [], {}, { kind: 'saved' }, { kind: 'deleted', id: 5 }]) {
      expect(readChange(bad)).toBeUndefined();
    }
    expect(readChange({ kind: 'saved', id: 'x'.repeat(10_000) })).toBeUndefined();
  });
});

describe('damage reports', () => {
  it('tells each damaged record once', () => {
    const heard = vi.fn();
    const stop = onDamaged(heard);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    reportDamaged('conversation:x1');
    reportDamaged('conversation:x1');
    reportDamaged('conversation:x2');
    stop();
    reportDamaged('conversation:x3');
    warn.mockRestore();
    expect(heard.mock.calls).toEqual([[1], [2]]);
  });
});
