/**
 * Lifts stored or imported conversations from older schema versions to the current one, one step
 * at a time, so a record written by any earlier release still opens. A record from a *newer* release
 * is never rewritten or deleted here: it is left for that release to read.
 *
 * Version 0 is the prototype's shape, before records were versioned: `created`/`updated` instead of
 * `createdAt`/`updatedAt`, messages with `text` instead of `content`, no message status (a reply cut
 * short was flagged `partial`), optional message ids and `model` instead of `modelId`.
 * Version 1 kept one version of each message, as a list: version 2 makes it a tree (./tree.ts) in
 * which each message follows the one before it, the last one shown.
 */
import { SCHEMA_VERSION, isConversation, type Conversation, type StoredMessage } from './records';

type Step = (record: Record<string, unknown>) => Record<string, unknown> | undefined;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** v0 → v1. */
function fromV0(record: Record<string, unknown>): Record<string, unknown> | undefined {
  const { id, title, created, updated, messages } = record;
  if (typeof id !== 'string' || !isTime(created) || !Array.isArray(messages)) return undefined;
  const lifted: StoredMessage[] = [];
  for (const [index, message] of messages.entries()) {
    if (!isRecord(message) || typeof message.text !== 'string') return undefined;
    if (message.role !== 'user' && message.role !== 'assistant') return undefined;
    lifted.push({
      id: typeof message.id === 'string' && message.id ? message.id : `${id}-${index}`,
      role: message.role,
      content: message.text,
      createdAt: isTime(message.time) ? message.time : created,
      status: message.partial === true ? 'interrupted' : 'done',
      ...(typeof message.model === 'string' ? { modelId: message.model } : {}),
    });
  }
  return {
    schemaVersion: 1,
    id,
    title: typeof title === 'string' ? title : '',
    createdAt: created,
    updatedAt: isTime(updated) ? updated : created,
    messages: lifted,
  };
}

/** v1 → v2: the list becomes a single path of the tree. */
function fromV1(record: Record<string, unknown>): Record<string, unknown> | undefined {
  const { messages } = record;
  if (!Array.isArray(messages)) return undefined;
  let parentId: unknown;
  const linked: unknown[] = [];
  for (const message of messages) {
    // A damaged message is left as it is, for the import's schema check to say what is wrong with it.
    if (!isRecord(message) || typeof message.id !== 'string') {
      linked.push(message);
      continue;
    }
    linked.push(parentId === undefined ? message : { ...message, parentId });
    parentId = message.id;
  }
  return {
    ...record,
    schemaVersion: 2,
    messages: linked,
    ...(typeof parentId === 'string' ? { currentId: parentId } : {}),
  };
}

const OPEN_TAG = '<think>';
const CLOSE_TAG = '</think>';

/** A reply that began inside a thought its prompt opened: a closing tag before any opening one. */
function beganInThought(content: string): boolean {
  const close = content.indexOf(CLOSE_TAG);
  return close !== -1 && !content.slice(0, close).includes(OPEN_TAG);
}

function cutShort(message: StoredMessage): boolean {
  return message.status !== 'done' || message.stats?.finishReason === 'length';
}

/**
 * Replies stored before the runtime streamed the opening a template writes ("<think>\n") began
 * inside the thought with no tag; one cut short before its "</think>" has no tag at all and would
 * now read as an answer. Where the same model's other reply in this conversation proves its prompt
 * opened the thought (it closes a thought it never opened), such a cut, tag-less reply is given
 * the opening it lacked. Nothing else can tell it from a short direct answer (no stored field
 * records the template), so without that proof it is left as it is. Idempotent: a repaired reply
 * has a tag. Not a schema change: the shape stays version 2's.
 */
export function reopenCutThoughts(conversation: Conversation): Conversation {
  const opened = new Set(
    conversation.messages
      .filter((message) => message.role === 'assistant' && beganInThought(message.content))
      .map((message) => message.modelId),
  );
  if (opened.size === 0) return conversation;
  let changed = false;
  const messages = conversation.messages.map((message) => {
    const repair =
      message.role === 'assistant' &&
      message.modelId !== undefined &&
      opened.has(message.modelId) &&
      cutShort(message) &&
      message.content.trim() !== '' &&
      !message.content.includes(OPEN_TAG) &&
      !message.content.includes(CLOSE_TAG);
    if (!repair) return message;
    changed = true;
    return { ...message, content: `${OPEN_TAG}\n${message.content}` };
  });
  return changed ? { ...conversation, messages } : conversation;
}

/** `steps[n]` lifts a version-n record to version n + 1. */
const steps: Record<number, Step> = { 0: fromV0, 1: fromV1 };

/** The schema version a stored value claims; 0 when it predates versioning. */
export function versionOf(record: unknown): number {
  if (!isRecord(record)) return -1;
  const version = record.schemaVersion;
  if (version === undefined) return 0;
  return typeof version === 'number' && Number.isInteger(version) && version >= 0 ? version : -1;
}

/** True when the value was written by a newer release than this one. */
export function isFromNewerRelease(record: unknown): boolean {
  return versionOf(record) > SCHEMA_VERSION;
}

/**
 * The record as a current-version conversation, or undefined when it is not a conversation this
 * release can read (unknown shape, or written by a newer release).
 */
export function migrate(record: unknown): Conversation | undefined {
  let version = versionOf(record);
  if (version < 0 || version > SCHEMA_VERSION || !isRecord(record)) return undefined;
  let current: Record<string, unknown> | undefined = record;
  while (current && version < SCHEMA_VERSION) {
    const step = steps[version];
    current = step ? step(current) : undefined;
    version++;
  }
  return isConversation(current) ? current : undefined;
}
