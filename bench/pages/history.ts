/**
 * Seeds and times the app's own history store (src/lib/storage/history.ts), from the app's origin,
 * so that the app opened afterwards finds a long history. Nothing new is exposed by the app itself.
 */
import {
  SCHEMA_VERSION,
  putConversation,
  upsertMessage,
  type Conversation,
  type StoredMessage,
} from '../../src/lib/storage/history';

export interface HistoryBenchPage {
  /** Stores `count` conversations of `turns` question-and-answer pairs; resolves with the time taken. */
  seed(count: number, turns: number): Promise<number>;
  /** Stores one conversation of `messages` messages, older than any seeded one; resolves with its id. */
  seedLong(messages: number): Promise<{ id: string; title: string }>;
  /** Appends one reply to the conversation `repeats` times; resolves with each save's milliseconds. */
  timeSaves(id: string, repeats: number): Promise<number[]>;
}

declare global {
  interface Window {
    historyBench?: HistoryBenchPage;
  }
}

const HOUR = 3_600_000;
const base = Date.UTC(2026, 0, 1);
const conversations = new Map<string, Conversation>();

function paragraph(words: number, seed: number): string {
  const vocabulary = ['tide', 'harbour', 'ferry', 'pier', 'chart', 'wind', 'depth', 'pilot', '海港', '碼頭'];
  return Array.from({ length: words }, (_, i) => vocabulary[(seed * 7 + i * 3) % vocabulary.length]).join(
    ' ',
  );
}

function user(id: string, at: number, seed: number): StoredMessage {
  return {
    id,
    role: 'user',
    content: `Question ${seed}: ${paragraph(25, seed)}?`,
    createdAt: at,
    status: 'done',
  };
}

/** A reply the size of a typical R1 answer: about 1.5 kB of thought and 1.5 kB of markdown. */
function reply(id: string, at: number, seed: number): StoredMessage {
  const content =
    `${paragraph(250, seed)}\n</think>\n\n## Answer ${seed}\n\n${paragraph(120, seed + 1)}\n\n` +
    `- ${paragraph(20, seed + 2)}\n- ${paragraph(20, seed + 3)}\n\n\`\`\`ts\nconst tide = ${seed};\n\`\`\`\n`;
  return { id, role: 'assistant', content, createdAt: at, status: 'done', modelId: 'scripted-test' };
}

function conversation(index: number, turns: number, updatedAt: number): Conversation {
  const id = `bench-${String(index).padStart(5, '0')}`;
  const messages = Array.from({ length: turns }, (_, turn) => [
    user(`${id}-u${turn}`, updatedAt - 1000, index + turn),
    reply(`${id}-a${turn}`, updatedAt, index + turn),
  ])
    .flat()
    // Schema 2: each message follows the one before it (one path, no other versions).
    .map((message, at, all) => (at > 0 ? { ...message, parentId: all[at - 1].id } : message));
  return {
    schemaVersion: SCHEMA_VERSION,
    id,
    title: `Harbour question ${index}`,
    createdAt: updatedAt - turns * 1000,
    updatedAt,
    messages,
  };
}

window.historyBench = {
  async seed(count, turns) {
    const started = performance.now();
    for (let index = 0; index < count; index++) {
      await putConversation(conversation(index, turns, base + (count - index) * HOUR));
    }
    return performance.now() - started;
  },

  async seedLong(messages) {
    const long = conversation(99_999, Math.ceil(messages / 2), base - HOUR);
    long.messages = long.messages.slice(0, messages);
    long.title = 'The long harbour log';
    await putConversation(long);
    conversations.set(long.id, long);
    return { id: long.id, title: long.title };
  },

  async timeSaves(id, repeats) {
    const stored = conversations.get(id);
    if (!stored) throw new Error(`Seed ${id} first`);
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const message = reply(`${id}-extra-${i}`, Date.now(), i);
      const started = performance.now();
      await upsertMessage(stored, message);
      times.push(performance.now() - started);
    }
    return times;
  },
};
