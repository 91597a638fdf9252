/**
 * Export files and the checks an import must pass. JSON export is lossless and canonical (fixed key
 * order, newest conversation first, no export time inside), so exporting what was imported gives
 * the same bytes. An import is parsed and checked completely before anything is written: size,
 * JSON syntax, keys that could pollute prototypes, the envelope, limits, then every conversation
 * against the schema (older records are migrated first). The first problem found is reported.
 */
import * as v from 'valibot';
import { ThinkSplitter } from '../chat/think';
import { migrate, reopenCutThoughts, versionOf } from './migrate';
import { conversationHeader, SCHEMA_VERSION, type Conversation, type StoredMessage } from './records';
import { ConversationSchema, EXPORT_FORMAT, EnvelopeSchema, importLimits } from './schema';
import { visiblePath } from './tree';

export type ImportProblem =
  | { code: 'tooLarge'; limit: number }
  | { code: 'notJson' }
  | { code: 'hostile'; key: string; where: string }
  | { code: 'notExport' }
  | { code: 'newerVersion' }
  | { code: 'tooMany'; limit: number }
  | { code: 'tooLong'; where: string; limit: number }
  | { code: 'tooManyMessages'; where: string; limit: number }
  | { code: 'invalid'; where: string }
  | { code: 'duplicate'; where: string };

export type ParsedImport =
  { ok: true; conversations: Conversation[] } | { ok: false; problem: ImportProblem };

const HOSTILE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const refuse = (problem: ImportProblem): ParsedImport => ({ ok: false, problem });

/** The longest key, and the longest path, a refusal repeats: a file's names are not echoed in full. */
const SHOWN_KEY_CHARS = 40;
const SHOWN_PATH_CHARS = 160;

/** `key` as a refusal shows it: control and formatting characters replaced, cut short when long. */
function shownKey(key: string): string {
  const clean = key.replace(/[\p{Cc}\p{Cf}]/gu, '\uFFFD');
  return clean.length > SHOWN_KEY_CHARS ? `${clean.slice(0, SHOWN_KEY_CHARS)}…` : clean;
}

const shownPath = (where: string) =>
  where.length > SHOWN_PATH_CHARS ? `${where.slice(0, SHOWN_PATH_CHARS)}…` : where;

/** The first key anywhere in `root` that could pollute a prototype, with where it is. */
function findHostileKey(root: unknown): { key: string; where: string } | undefined {
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length > 0) {
    const entry = stack.pop();
    if (!entry) break;
    const [value, where] = entry;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push([item, `${where}[${index}]`]));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (HOSTILE_KEYS.has(key)) return { key, where: shownPath(where) || '(top level)' };
      const step = shownKey(key);
      stack.push([(value as Record<string, unknown>)[key], where ? `${where}.${step}` : step]);
    }
  }
  return undefined;
}

function pathOf(issue: v.BaseIssue<unknown>, prefix: string): string {
  let where = prefix;
  for (const item of issue.path ?? []) {
    where += typeof item.key === 'number' ? `[${item.key}]` : `.${shownKey(String(item.key))}`;
  }
  return shownPath(where);
}

function duplicateIn(conversations: Conversation[]): string | undefined {
  const ids = new Set<string>();
  for (const [index, conversation] of conversations.entries()) {
    if (ids.has(conversation.id)) return `conversations[${index}].id`;
    ids.add(conversation.id);
    const messageIds = new Set<string>();
    for (const [at, message] of conversation.messages.entries()) {
      if (messageIds.has(message.id)) return `conversations[${index}].messages[${at}].id`;
      messageIds.add(message.id);
    }
  }
  return undefined;
}

/** Checks one conversation of the file; older versions are migrated first. */
function checkConversation(raw: unknown, index: number): Conversation | ImportProblem {
  const where = `conversations[${index}]`;
  const version = versionOf(raw);
  if (version > SCHEMA_VERSION) return { code: 'newerVersion' };
  const lifted = version >= 0 && version < SCHEMA_VERSION ? migrate(raw) : raw;
  if (lifted === undefined) return { code: 'invalid', where };
  const result = v.safeParse(ConversationSchema, lifted);
  if (result.success) return reopenCutThoughts(result.output);
  const [issue] = result.issues;
  if (issue.type === 'max_length' && typeof issue.requirement === 'number') {
    // The same check limits a text (characters) and the list of messages (messages).
    const code = Array.isArray(issue.input) ? 'tooManyMessages' : 'tooLong';
    return { code, where: pathOf(issue, where), limit: issue.requirement };
  }
  return { code: 'invalid', where: pathOf(issue, where) };
}

/** Parses and checks the text of an export file. */
export function parseExport(text: string): ParsedImport {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return refuse({ code: 'notJson' });
  }
  const hostile = findHostileKey(data);
  if (hostile) return refuse({ code: 'hostile', ...hostile });
  const envelope = v.safeParse(EnvelopeSchema, data);
  if (!envelope.success) return refuse({ code: 'notExport' });
  if (envelope.output.schemaVersion > SCHEMA_VERSION) return refuse({ code: 'newerVersion' });
  const raws = envelope.output.conversations;
  if (raws.length > importLimits.conversations) {
    return refuse({ code: 'tooMany', limit: importLimits.conversations });
  }
  const conversations: Conversation[] = [];
  for (const [index, raw] of raws.entries()) {
    const checked = checkConversation(raw, index);
    if ('code' in checked) return refuse(checked);
    conversations.push(checked);
  }
  const duplicate = duplicateIn(conversations);
  if (duplicate) return refuse({ code: 'duplicate', where: duplicate });
  return { ok: true, conversations };
}

/** Reads and checks an export file; a file over the size limit is not read at all. */
export async function readExportFile(file: Blob): Promise<ParsedImport> {
  if (file.size > importLimits.fileBytes) return refuse({ code: 'tooLarge', limit: importLimits.fileBytes });
  return parseExport(await file.text());
}

function canonicalMessage(message: StoredMessage): StoredMessage {
  const { stats } = message;
  return {
    id: message.id,
    parentId: message.parentId,
    role: message.role,
    content: message.content,
    createdAt: message.createdAt,
    status: message.status,
    modelId: message.modelId,
    stats: stats && {
      promptTokens: stats.promptTokens,
      completionTokens: stats.completionTokens,
      timeToFirstTokenMs: stats.timeToFirstTokenMs,
      prefillTokensPerSecond: stats.prefillTokensPerSecond,
      decodeTokensPerSecond: stats.decodeTokensPerSecond,
      finishReason: stats.finishReason,
    },
    thoughtMs: message.thoughtMs,
    error: message.error,
  };
}

function canonicalConversation(conversation: Conversation): Conversation {
  return {
    ...conversationHeader(conversation),
    messages: conversation.messages.map(canonicalMessage),
    currentId: conversation.currentId,
    topic: conversation.topic,
  };
}

const newestFirst = (a: Conversation, b: Conversation) =>
  b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The lossless export: every field, canonical order, newest conversation first. */
export function exportJson(conversations: Conversation[]): string {
  const file = {
    format: EXPORT_FORMAT,
    schemaVersion: SCHEMA_VERSION,
    conversations: [...conversations].sort(newestFirst).map(canonicalConversation),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** How an imported conversation whose id is taken is written beside the stored one. */
export interface CopyNaming {
  newId: () => string;
  /** The copy's title, marked as an imported copy. */
  title: (title: string) => string;
}

/** Where an imported conversation goes: in as it is, beside a different stored one, or nowhere. */
export type Placement = { kind: 'add' | 'copy'; conversation: Conversation } | { kind: 'same' };

const sameConversation = (a: Conversation, b: Conversation) =>
  JSON.stringify(canonicalConversation(a)) === JSON.stringify(canonicalConversation(b));

/**
 * Never lets a file write into a stored conversation: its id, messages and dates are claims. A
 * conversation identical to the stored one (as exported) is a duplicate; any other with a taken id
 * (or one taken by a record this release cannot read) becomes a new conversation of its own.
 */
export function placeImported(
  incoming: Conversation,
  stored: Conversation | 'unreadable' | undefined,
  naming: CopyNaming,
): Placement {
  if (stored === undefined) return { kind: 'add', conversation: incoming };
  if (stored !== 'unreadable' && sameConversation(stored, incoming)) return { kind: 'same' };
  return {
    kind: 'copy',
    conversation: { ...incoming, id: naming.newId(), title: naming.title(incoming.title) },
  };
}

/** Words the Markdown export is written with, in the user's language. */
export interface MarkdownLabels {
  untitled: string;
  you: string;
  assistant: string;
  thought: string;
  stopped: string;
  interrupted: string;
  failed: string;
  date: (time: number) => string;
}

/** How the model's text is shown to the reader. */
type Shown = (text: string) => string;

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A fenced code block's opening line (CommonMark: a backtick fence's info has no backtick). */
const FENCE_OPEN = /^(`{3,})[^`]*$|^(~{3,}).*$/;

/**
 * Markdown from a user or a model, with its raw HTML made text: every `<` outside fenced code
 * blocks becomes `&lt;`, so no viewer that renders HTML in Markdown runs it. Inline code is not
 * spared (an unmatched or escaped backtick would let HTML through); there `<` reads as `&lt;`.
 * Only fences opening at the start of a line are kept as they are — ones a renderer agrees open
 * there — and one left open is closed, so the next turn starts outside it.
 */
export function escapeMarkdownHtml(text: string): string {
  const lines = text.split('\n');
  let fence: string | undefined;
  const out = lines.map((line) => {
    if (fence !== undefined) {
      const closer = line.trimEnd().trimStart();
      const indent = line.length - line.trimStart().length;
      if (indent <= 3 && closer.startsWith(fence) && /^(`+|~+)$/.test(closer) && closer[0] === fence[0]) {
        fence = undefined;
      }
      return line;
    }
    const opened = FENCE_OPEN.exec(line);
    if (opened) {
      fence = opened[1] ?? opened[2];
      return line;
    }
    return line.replace(/</g, '&lt;');
  });
  if (fence !== undefined) out.push(fence);
  return out.join('\n');
}

/** A title as the text of one heading line. */
const headingText = (title: string) => title.replace(/\s+/g, ' ').trim().replace(/</g, '&lt;');

function replyMarkdown(message: StoredMessage, labels: MarkdownLabels, shown: Shown): string {
  const split = ThinkSplitter.split(message.content);
  const [thinking, answer] = [shown(split.thinking), shown(split.answer)];
  const parts: string[] = [];
  if (thinking) {
    parts.push(
      `<details>\n<summary>${escapeHtml(labels.thought)}</summary>\n\n${escapeHtml(thinking)}\n\n</details>`,
    );
  }
  if (answer) parts.push(escapeMarkdownHtml(answer));
  const note = { stopped: labels.stopped, interrupted: labels.interrupted, error: labels.failed }[
    message.status as 'stopped' | 'interrupted' | 'error'
  ];
  if (note) parts.push(`> _${note}_`);
  return parts.join('\n\n');
}

function conversationMarkdown(conversation: Conversation, labels: MarkdownLabels, shown: Shown): string {
  const lines = [`# ${headingText(conversation.title) || labels.untitled}`];
  const date = labels.date(conversation.createdAt);
  if (date) lines.push(`_${date}_`);
  for (const message of visiblePath(conversation)) {
    const who = message.role === 'user' ? labels.you : labels.assistant;
    const body =
      message.role === 'user' ? escapeMarkdownHtml(message.content) : replyMarkdown(message, labels, shown);
    lines.push(`## ${who}`, body);
  }
  return lines.join('\n\n');
}

/**
 * A readable export of the path on screen: headings per turn, the thought folded in a <details> block. The model's text
 * passes through `shown`, so it reads as on screen (e.g. in Hong Kong Traditional characters).
 */
export function exportMarkdown(
  conversations: Conversation[],
  labels: MarkdownLabels,
  shown: Shown = (text) => text,
): string {
  return `${[...conversations]
    .sort(newestFirst)
    .map((c) => conversationMarkdown(c, labels, shown))
    .join('\n\n---\n\n')}\n`;
}

/** `harbour-chat-2025-01-31.json`, or named after the one conversation exported. */
export function exportFileName(
  conversations: Conversation[],
  extension: 'json' | 'md',
  now = new Date(),
): string {
  const day = now.toISOString().slice(0, 10);
  const single = conversations.length === 1 ? conversations[0].title : '';
  const printable = Array.from(single.normalize('NFKC'))
    .filter((char) => char >= ' ')
    .join('');
  const slug = printable
    .replace(/[\\/:*?"<>|]+/g, ' ')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 40);
  return `harbour-chat-${slug ? `${slug}-` : ''}${day}.${extension}`;
}
