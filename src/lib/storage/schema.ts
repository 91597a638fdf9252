/**
 * The export file's schema (valibot) and the limits an import must keep. Objects are strict: a field
 * this release does not know is refused rather than stored unread. The type checks at the bottom
 * make `npm run check` fail when a stored field is added without adding it here.
 */
import * as v from 'valibot';
import { engineErrorNames } from '../../shared/engine';
import { SCHEMA_VERSION, messageStatuses, type Conversation, type StoredMessage } from './records';
import { treeProblem } from './tree';

/** The `format` field of every export file. */
export const EXPORT_FORMAT = 'harbour-chat-export';

export const importLimits = {
  /** The largest file read at all. */
  fileBytes: 50 * 1024 * 1024,
  conversations: 10_000,
  messagesPerConversation: 10_000,
  /** Characters in one message (about 1 MB of text). */
  messageChars: 1_000_000,
  titleChars: 1_000,
} as const;

const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * The dates a file may claim: from 2000-01-01 (before the app, and before any plausible device
 * clock) to a day past this device's clock (another device's clock may run a little ahead). A date
 * outside them is a damaged or made-up file, and one past a Date's range could not even be shown.
 */
export const importDates = {
  earliest: Date.UTC(2000, 0, 1),
  latest: (now = Date.now()) => now + 24 * 60 * 60 * 1000,
} as const;

const Id = v.pipe(v.string(), v.regex(ID_PATTERN));
const Time = v.pipe(
  v.number(),
  v.finite(),
  v.minValue(importDates.earliest),
  v.check((time) => time <= importDates.latest(), 'A date after tomorrow'),
);
const Amount = v.pipe(v.number(), v.finite(), v.minValue(0));

const StatsSchema = v.strictObject({
  promptTokens: Amount,
  completionTokens: Amount,
  timeToFirstTokenMs: Amount,
  prefillTokensPerSecond: Amount,
  decodeTokensPerSecond: Amount,
  finishReason: v.picklist(['stop', 'length', 'abort']),
});

export const MessageSchema = v.strictObject({
  id: Id,
  parentId: v.optional(Id),
  role: v.picklist(['user', 'assistant']),
  content: v.pipe(v.string(), v.maxLength(importLimits.messageChars)),
  createdAt: Time,
  status: v.picklist(messageStatuses),
  modelId: v.optional(v.pipe(v.string(), v.maxLength(200))),
  stats: v.optional(StatsSchema),
  thoughtMs: v.optional(Amount),
  error: v.optional(v.picklist(engineErrorNames)),
});

/** A conversation, whose messages must form a tree (every parent known, no loops). */
export const ConversationSchema = v.pipe(
  v.strictObject({
    schemaVersion: v.literal(SCHEMA_VERSION),
    id: Id,
    title: v.pipe(v.string(), v.maxLength(importLimits.titleChars)),
    createdAt: Time,
    updatedAt: Time,
    messages: v.pipe(v.array(MessageSchema), v.maxLength(importLimits.messagesPerConversation)),
    currentId: v.optional(Id),
    topic: v.optional(v.picklist(['health', 'law'])),
  }),
  v.check((conversation) => treeProblem(conversation) === undefined, 'The messages do not form a tree'),
);

/** The envelope, checked before any conversation is looked at. */
export const EnvelopeSchema = v.looseObject({
  format: v.literal(EXPORT_FORMAT),
  schemaVersion: v.pipe(v.number(), v.integer(), v.minValue(0)),
  conversations: v.array(v.unknown()),
});

// Compile-time: the schema describes exactly the stored shapes.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
const messageKeysMatch: SameKeys<v.InferOutput<typeof MessageSchema>, StoredMessage> = true;
const conversationKeysMatch: SameKeys<v.InferOutput<typeof ConversationSchema>, Conversation> = true;
const outputIsConversation = (value: v.InferOutput<typeof ConversationSchema>): Conversation => value;
void [messageKeysMatch, conversationKeysMatch, outputIsConversation];
