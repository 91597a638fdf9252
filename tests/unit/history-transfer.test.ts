import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type Conversation } from '../../src/lib/storage/records';
import { ConversationSchema, EXPORT_FORMAT, importLimits } from '../../src/lib/storage/schema';
import {
  exportFileName,
  exportJson,
  exportMarkdown,
  parseExport,
  readExportFile,
  type MarkdownLabels,
} from '../../src/lib/storage/transfer';

/** A time inside the dates an import accepts (2000-01-01 to tomorrow). */
const T = Date.UTC(2025, 0, 1);

const sample: Conversation[] = [
  {
    schemaVersion: SCHEMA_VERSION,
    id: 'a1',
    title: 'Tides <b>in</b> 維港',
    createdAt: T + 1000,
    updatedAt: T + 3000,
    messages: [
      { id: 'm1', role: 'user', content: 'When is high tide?', createdAt: T + 1000, status: 'done' },
      // An earlier version of the answer, not on the path shown.
      {
        id: 'm2old',
        parentId: 'm1',
        role: 'assistant',
        content: 'Hmm.</think>\n\nAn older answer.',
        createdAt: T + 1050,
        status: 'done',
      },
      {
        id: 'm2',
        parentId: 'm1',
        role: 'assistant',
        content: 'The user asks about <tides>.</think>\n\nAt **noon**.',
        createdAt: T + 1100,
        status: 'done',
        modelId: 'tiny-r1',
        thoughtMs: 1200,
        stats: {
          promptTokens: 10,
          completionTokens: 20,
          timeToFirstTokenMs: 30,
          prefillTokensPerSecond: 40.5,
          decodeTokensPerSecond: 50.25,
          finishReason: 'stop',
        },
      },
      {
        id: 'm3',
        parentId: 'm2',
        role: 'assistant',
        content: 'half a tho',
        createdAt: T + 1200,
        status: 'interrupted',
      },
    ],
    currentId: 'm3',
  },
  {
    schemaVersion: SCHEMA_VERSION,
    id: 'b2',
    title: '',
    createdAt: T + 500,
    updatedAt: T + 600,
    messages: [],
  },
];

const labels: MarkdownLabels = {
  untitled: 'New chat',
  you: 'You',
  assistant: 'Harbour',
  thought: 'Thought',
  stopped: 'Stopped',
  interrupted: 'This reply was interrupted',
  failed: 'This reply did not finish.',
  date: (time) => new Date(time).toISOString(),
};

function envelope(conversations: unknown[], extra: Record<string, unknown> = {}) {
  return JSON.stringify({ format: EXPORT_FORMAT, schemaVersion: SCHEMA_VERSION, conversations, ...extra });
}

function refusal(text: string) {
  const result = parseExport(text);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.problem;
}

/** A small deterministic generator, so a failing fuzz case can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('JSON export', () => {
  it('is lossless and canonical: export → parse → export gives the same bytes', () => {
    const text = exportJson(sample);
    const parsed = parseExport(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.conversations).toEqual(sample);
    expect(exportJson(parsed.conversations)).toBe(text);
    // Key order in memory does not matter, and neither does list order.
    const shuffled = [...sample]
      .reverse()
      .map((c) => Object.fromEntries(Object.entries(c).reverse()) as Conversation);
    expect(exportJson(shuffled)).toBe(text);
  });

  it('carries a format marker and the schema version', () => {
    const file = JSON.parse(exportJson(sample)) as Record<string, unknown>;
    expect(file.format).toBe(EXPORT_FORMAT);
    expect(file.schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('names the file after a single conversation', () => {
    const day = new Date('2025-03-04T10:00:00Z');
    expect(exportFileName(sample, 'json', day)).toBe('harbour-chat-2025-03-04.json');
    expect(exportFileName([{ ...sample[0], title: 'a/b: c?' }], 'md', day)).toBe(
      'harbour-chat-a-b-c-2025-03-04.md',
    );
  });
});

describe('Markdown export', () => {
  it('is readable, folds the thought and escapes HTML inside it', () => {
    const md = exportMarkdown(sample, labels);
    expect(md).toContain('# Tides &lt;b>in&lt;/b> 維港');
    expect(md).toContain('## You\n\nWhen is high tide?');
    expect(md).toContain(
      '<details>\n<summary>Thought</summary>\n\nThe user asks about &lt;tides&gt;.\n\n</details>',
    );
    expect(md).toContain('At **noon**.');
    expect(md).toContain('> _This reply was interrupted_');
    // Only the path on screen: the other version of the answer is not there.
    expect(md).not.toContain('An older answer');
    expect(md).toContain('# New chat');
    expect(md.indexOf('Tides')).toBeLessThan(md.indexOf('# New chat'));
  });
});

describe('import checks', () => {
  it('accepts an older record and migrates it', () => {
    const result = parseExport(
      envelope([{ id: 'old', created: T, messages: [{ role: 'user', text: 'hi' }] }]),
    );
    expect(result.ok && result.conversations[0].messages[0]).toMatchObject({ content: 'hi', status: 'done' });
  });

  it('refuses what is not JSON: random bytes, truncated files, empty files', () => {
    const next = random(7);
    for (let round = 0; round < 50; round++) {
      const bytes = Uint8Array.from({ length: 1 + Math.floor(next() * 400) }, () => Math.floor(next() * 256));
      const problem = parseExport(new TextDecoder().decode(bytes));
      expect(problem.ok).toBe(false);
    }
    const text = exportJson(sample);
    for (const cut of [1, 10, 100, text.length - 3]) expect(refusal(text.slice(0, cut)).code).toBe('notJson');
    expect(refusal('').code).toBe('notJson');
  });

  it('refuses JSON that is not an export, or from a newer release', () => {
    expect(refusal('[]').code).toBe('notExport');
    expect(refusal('{"conversations": []}').code).toBe('notExport');
    expect(refusal(JSON.stringify({ format: 'other', schemaVersion: 1, conversations: [] })).code).toBe(
      'notExport',
    );
    expect(refusal(envelope([], { schemaVersion: SCHEMA_VERSION + 1 })).code).toBe('newerVersion');
    expect(refusal(envelope([{ ...sample[0], schemaVersion: SCHEMA_VERSION + 1 }])).code).toBe(
      'newerVersion',
    );
  });

  it('refuses wrong types and says where', () => {
    const bad = (change: (c: Record<string, unknown>) => void) => {
      const copy = JSON.parse(JSON.stringify(sample[0])) as Record<string, unknown>;
      change(copy);
      return refusal(envelope([copy]));
    };
    expect(bad((c) => (c.title = 5))).toEqual({ code: 'invalid', where: 'conversations[0].title' });
    expect(bad((c) => (c.messages = 'none'))).toEqual({
      code: 'invalid',
      where: 'conversations[0].messages',
    });
    expect(bad((c) => ((c.messages as Record<string, unknown>[])[1].role = 'system'))).toEqual({
      code: 'invalid',
      where: 'conversations[0].messages[1].role',
    });
    expect(bad((c) => ((c.messages as Record<string, unknown>[])[0].createdAt = -1)).code).toBe('invalid');
    expect(bad((c) => (c.id = '../../etc'))).toEqual({ code: 'invalid', where: 'conversations[0].id' });
    expect(bad((c) => (c.extra = true))).toMatchObject({ code: 'invalid' });
    expect(bad((c) => delete c.updatedAt)).toMatchObject({
      code: 'invalid',
      where: 'conversations[0].updatedAt',
    });
  });

  it('refuses keys that could pollute prototypes, however they are written', () => {
    const hostile = `{"format":"${EXPORT_FORMAT}","schemaVersion":1,"conversations":[{"__proto__":{"polluted":true}}]}`;
    expect(refusal(hostile)).toEqual({ code: 'hostile', key: '__proto__', where: 'conversations[0]' });
    const escaped = hostile.replace('__proto__', '\\u005f_proto__');
    expect(refusal(escaped).code).toBe('hostile');
    expect(refusal(envelope([{ ...sample[0], constructor: { prototype: {} } }])).code).toBe('hostile');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps limits: message length, conversation count, file size', async () => {
    const huge = {
      ...sample[0],
      messages: [{ ...sample[0].messages[0], content: 'x'.repeat(importLimits.messageChars + 1) }],
    };
    expect(refusal(envelope([huge]))).toEqual({
      code: 'tooLong',
      where: 'conversations[0].messages[0].content',
      limit: importLimits.messageChars,
    });
    const many = Array.from({ length: importLimits.conversations + 1 }, () => ({}));
    expect(refusal(envelope(many))).toEqual({ code: 'tooMany', limit: importLimits.conversations });
    const big = {
      size: importLimits.fileBytes + 1,
      text: () => Promise.reject(new Error('must not be read')),
    };
    expect(await readExportFile(big as unknown as Blob)).toEqual({
      ok: false,
      problem: { code: 'tooLarge', limit: importLimits.fileBytes },
    });
  });

  it('refuses the same id twice in one file', () => {
    expect(refusal(envelope([sample[0], sample[0]]))).toEqual({
      code: 'duplicate',
      where: 'conversations[1].id',
    });
    const twice = {
      ...sample[0],
      messages: [sample[0].messages[0], sample[0].messages[0]],
      currentId: 'm1',
    };
    expect(refusal(envelope([twice])).code).toBe('duplicate');
  });

  it('refuses messages that do not form a tree', () => {
    const [first, second] = sample[0].messages;
    const orphan = { ...sample[0], messages: [first, { ...second, parentId: 'nowhere' }], currentId: 'm1' };
    expect(refusal(envelope([orphan]))).toEqual({ code: 'invalid', where: 'conversations[0]' });
    const loop = {
      ...sample[0],
      messages: [
        { ...first, parentId: second.id },
        { ...second, parentId: first.id },
      ],
      currentId: 'm1',
    };
    expect(refusal(envelope([loop]))).toEqual({ code: 'invalid', where: 'conversations[0]' });
    const lost = { ...sample[0], currentId: 'nowhere' };
    expect(refusal(envelope([lost])).code).toBe('invalid');
  });

  it('survives deep nesting', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(parseExport(deep).ok).toBe(false);
    const nested = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    const deepInside = envelope([{ ...sample[0], title: 'NESTED' }]).replace('"NESTED"', nested);
    expect(parseExport(deepInside)).toMatchObject({ ok: false, problem: { code: 'invalid' } });
  });

  it('never throws on mutated files, and whatever it accepts matches the schema', () => {
    const text = exportJson(sample);
    const next = random(42);
    const pieces = [
      '"',
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      'null',
      '-1',
      '1e308',
      '"__proto__"',
      '\\u0000',
      'true',
      ' ',
    ];
    let accepted = 0;
    for (let round = 0; round < 2000; round++) {
      let mutated = text;
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * mutated.length);
        const cut = Math.floor(next() * 8);
        const piece = next() < 0.5 ? pieces[Math.floor(next() * pieces.length)] : '';
        mutated = mutated.slice(0, at) + piece + mutated.slice(at + cut);
      }
      const result = parseExport(mutated);
      if (result.ok) {
        accepted++;
        for (const c of result.conversations) expect(v.is(ConversationSchema, c)).toBe(true);
      } else {
        expect(typeof result.problem.code).toBe('string');
      }
    }
    // Some mutations land in text and stay valid; most break the file.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(2000);
  });

  it('keeps HTML in text as text (it is only ever rendered as text or sanitized)', () => {
    const html = { ...sample[0], title: '<img src=x onerror=alert(1)>' };
    const result = parseExport(envelope([html]));
    expect(result.ok && result.conversations[0].title).toBe('<img src=x onerror=alert(1)>');
  });
});
