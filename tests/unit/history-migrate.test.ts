import { describe, expect, it } from 'vitest';
import { isFromNewerRelease, migrate, versionOf } from '../../src/lib/storage/migrate';
import { SCHEMA_VERSION, type Conversation } from '../../src/lib/storage/records';

const v0 = {
  id: 'old-1',
  title: 'From the prototype',
  created: 1_600_000_000_000,
  updated: 1_600_000_100_000,
  messages: [
    { role: 'user', text: 'Hello', time: 1_600_000_000_000 },
    { id: 'r1', role: 'assistant', text: 'Thinking</think>Hi!', model: 'tiny', time: 1_600_000_050_000 },
    { role: 'assistant', text: 'cut sh', partial: true },
  ],
};

describe('migrate', () => {
  it('lifts a v0 record to the current schema', () => {
    const lifted = migrate(v0);
    expect(lifted).toEqual<Conversation>({
      schemaVersion: SCHEMA_VERSION,
      id: 'old-1',
      title: 'From the prototype',
      createdAt: 1_600_000_000_000,
      updatedAt: 1_600_000_100_000,
      messages: [
        { id: 'old-1-0', role: 'user', content: 'Hello', createdAt: 1_600_000_000_000, status: 'done' },
        {
          id: 'r1',
          role: 'assistant',
          content: 'Thinking</think>Hi!',
          createdAt: 1_600_000_050_000,
          status: 'done',
          modelId: 'tiny',
        },
        // No time: the conversation's; flagged partial: interrupted.
        {
          id: 'old-1-2',
          role: 'assistant',
          content: 'cut sh',
          createdAt: 1_600_000_000_000,
          status: 'interrupted',
        },
      ],
    });
  });

  it('fills what v0 could leave out', () => {
    const lifted = migrate({ id: 'x', created: 5, messages: [] });
    expect(lifted).toMatchObject({ title: '', createdAt: 5, updatedAt: 5, messages: [] });
  });

  it('returns a current record as it is', () => {
    const current: Conversation = {
      schemaVersion: 1,
      id: 'c',
      title: 't',
      createdAt: 1,
      updatedAt: 2,
      messages: [],
    };
    expect(migrate(current)).toBe(current);
  });

  it('reads nothing from a newer release or of an unknown shape', () => {
    expect(migrate({ schemaVersion: SCHEMA_VERSION + 1, id: 'n', messages: [] })).toBeUndefined();
    expect(isFromNewerRelease({ schemaVersion: SCHEMA_VERSION + 1 })).toBe(true);
    for (const garbage of [null, 42, 'text', [], { schemaVersion: 'one' }, { schemaVersion: -1 }]) {
      expect(migrate(garbage)).toBeUndefined();
    }
    expect(migrate({ id: 'x', created: 1, messages: [{ role: 'system', text: 'no' }] })).toBeUndefined();
    expect(migrate({ id: 'x', created: 1, messages: [{ role: 'user' }] })).toBeUndefined();
    expect(migrate({ id: 7, created: 1, messages: [] })).toBeUndefined();
  });

  it('tells versions apart', () => {
    expect(versionOf({})).toBe(0);
    expect(versionOf({ schemaVersion: 1 })).toBe(1);
    expect(versionOf({ schemaVersion: 1.5 })).toBe(-1);
    expect(versionOf('x')).toBe(-1);
  });
});
