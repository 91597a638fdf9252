import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isFromNewerRelease, migrate, reopenCutThoughts, versionOf } from '../../src/lib/storage/migrate';
import { readConversation } from '../../src/lib/storage/validate';
import { SCHEMA_VERSION, type Conversation, type StoredMessage } from '../../src/lib/storage/records';
import { exportJson, exportMarkdown, parseExport } from '../../src/lib/storage/transfer';
import { visiblePath } from '../../src/lib/storage/tree';

/** An export written by the release before the tree (schema 1): two chats, one reply stopped. */
const v1Export = readFileSync(new URL('../fixtures/v1-export.json', import.meta.url), 'utf8');
const v1 = JSON.parse(v1Export) as { schemaVersion: number; conversations: Record<string, unknown>[] };

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
          parentId: 'old-1-0',
          role: 'assistant',
          content: 'Thinking</think>Hi!',
          createdAt: 1_600_000_050_000,
          status: 'done',
          modelId: 'tiny',
        },
        // No time: the conversation's; flagged partial: interrupted.
        {
          id: 'old-1-2',
          parentId: 'r1',
          role: 'assistant',
          content: 'cut sh',
          createdAt: 1_600_000_000_000,
          status: 'interrupted',
        },
      ],
      currentId: 'old-1-2',
    });
  });

  it('fills what v0 could leave out', () => {
    const lifted = migrate({ id: 'x', created: 5, messages: [] });
    expect(lifted).toMatchObject({ title: '', createdAt: 5, updatedAt: 5, messages: [] });
  });

  it('returns a current record as it is', () => {
    const current: Conversation = {
      schemaVersion: 2,
      id: 'c',
      title: 't',
      createdAt: 1,
      updatedAt: 2,
      messages: [],
    };
    expect(migrate(current)).toBe(current);
  });

  describe('replies stored before the runtime streamed the opening of a thought', () => {
    const message = (id: string, content: string, extra: Partial<StoredMessage> = {}): StoredMessage => ({
      id,
      role: 'assistant',
      content,
      createdAt: 1,
      status: 'done',
      modelId: 'onnx-1.5b',
      ...extra,
    });
    const conversation = (...messages: StoredMessage[]): Conversation => ({
      schemaVersion: SCHEMA_VERSION,
      id: 'c',
      title: 't',
      createdAt: 1,
      updatedAt: 1,
      messages: [{ id: 'q', role: 'user', content: 'Hi', createdAt: 1, status: 'done' }, ...messages],
    });
    // That model's prompt opened the thought: this reply closes a thought it never opened.
    const proof = message('a', 'Thought.\n</think>\n\nAnswer.', { parentId: 'q' });

    it("gives a cut, tag-less reply the opening its model's prompt wrote, where another reply proves it", () => {
      const stopped = message('b', 'Let me think about', { parentId: 'q', status: 'stopped' });
      const atLimit = message('c', 'Okay, so the user', {
        parentId: 'q',
        stats: {
          promptTokens: 9,
          completionTokens: 5,
          timeToFirstTokenMs: 1,
          prefillTokensPerSecond: 1,
          decodeTokensPerSecond: 1,
          finishReason: 'length',
        },
      });
      // Repaired where stored chats are read (after their check), not by migrate() itself.
      const lifted = readConversation(conversation(proof, stopped, atLimit));
      expect(lifted?.messages.map((m) => m.content)).toEqual([
        'Hi',
        proof.content,
        '<think>\nLet me think about',
        '<think>\nOkay, so the user',
      ]);
      // Idempotent: read again, nothing changes.
      const again = lifted && readConversation(lifted);
      expect(again).toEqual(lifted);
    });

    it('leaves what nothing proves: a finished reply, another model, no proof, a reply with tags', () => {
      const done = message('b', 'A short direct answer.', { parentId: 'q' });
      const otherModel = message('c', 'Cut answer', {
        parentId: 'q',
        status: 'stopped',
        modelId: 'webllm-7b',
      });
      const tagged = message('d', '<think>\nStill thinking', { parentId: 'q', status: 'stopped' });
      const unproven = conversation(message('e', 'Cut', { parentId: 'q', status: 'interrupted' }));
      const current = conversation(proof, done, otherModel, tagged);
      expect(reopenCutThoughts(current)).toBe(current);
      expect(reopenCutThoughts(unproven)).toBe(unproven);
    });
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

  it('lifts a real v1 export: each message follows the one before, the last one shown', () => {
    expect(v1.schemaVersion).toBe(1);
    for (const record of v1.conversations) {
      const lifted = migrate(record);
      const messages = record.messages as { id: string }[];
      expect(lifted?.schemaVersion).toBe(2);
      expect(lifted?.currentId).toBe(messages.at(-1)?.id);
      // Nothing else changed: the same messages in the same order, each linked to the one before.
      expect(lifted?.messages.map(({ parentId: _parent, ...rest }) => rest)).toEqual(messages);
      expect(lifted?.messages.map((m) => m.parentId)).toEqual([
        undefined,
        ...messages.slice(0, -1).map((m) => m.id),
      ]);
      expect(lifted && visiblePath(lifted).map((m) => m.id)).toEqual(messages.map((m) => m.id));
      expect({ ...lifted, messages: undefined, currentId: undefined, schemaVersion: 1 }).toEqual({
        ...record,
        messages: undefined,
      });
    }
  });

  it('imports a real v1 export, and exports it again in the current format that imports the same', () => {
    const parsed = parseExport(v1Export);
    if (!parsed.ok) throw new Error(`refused: ${JSON.stringify(parsed.problem)}`);
    expect(parsed.conversations.map((c) => c.id)).toEqual(v1.conversations.map((c) => c.id));
    const again = exportJson(parsed.conversations);
    const reparsed = parseExport(again);
    expect(reparsed.ok && exportJson(reparsed.conversations)).toBe(again);
    const labels = { untitled: '', you: 'You', assistant: 'Harbour', thought: 'Thought', stopped: 'Stopped' };
    const md = exportMarkdown(parsed.conversations, {
      ...labels,
      interrupted: 'Interrupted',
      failed: 'Failed',
      date: () => 'today',
    });
    expect(md).toContain('## You\n\nFerry timetable to Cheung Chau?');
    expect(md).toContain('## You\n\n星期日班次呢？');
    expect(md).toContain('> _Stopped_');
  });

  it('tells versions apart', () => {
    expect(versionOf({})).toBe(0);
    expect(versionOf({ schemaVersion: 1 })).toBe(1);
    expect(versionOf({ schemaVersion: 1.5 })).toBe(-1);
    expect(versionOf('x')).toBe(-1);
  });
});
