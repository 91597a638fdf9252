/**
 * The queue between the page's state and IndexedDB. Saves are merged per conversation (a streaming
 * reply saved every second becomes one write, not a pile of them) and written one pass at a time.
 * A write that fails keeps its place and is retried with backoff (0.5 s, doubling to 2 s: soon after
 * storage works again) and on the next save, so nothing on screen is dropped because the disk was
 * full for a while. What is still waiting can be read (`pendingWrites`) to keep it elsewhere.
 * While a reply streams, this tab holds a Web Lock named after it; a reply stored as "streaming"
 * whose lock no tab holds was cut short by a closed or crashed tab.
 */
import type { UseStore } from 'idb-keyval';
import { heldLocks, holdLock, type Release } from '../tabs';
import { saveMessages } from './history';
import { conversationHeader, type Conversation, type StoredMessage } from './records';

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 2000;

const replyLockName = (messageId: string) => `harbour-chat-reply:${messageId}`;

/** What is waiting to be written for one conversation. */
interface PendingWrite {
  conversation: Conversation;
  replaceAll?: StoredMessage[];
  messages: Map<string, StoredMessage>;
}

export interface WriteEvents {
  /** A conversation was written. */
  written(stored: Conversation): void;
  /** A pass failed; it will be retried. */
  failed(cause: unknown): void;
  /** A pass wrote everything that was waiting. */
  drained(): void;
}

/** The conversation's own fields, without its messages (those are queued one by one). */
function headerOf(conversation: Conversation): Conversation {
  return {
    ...conversationHeader(conversation),
    messages: [],
    ...(conversation.currentId ? { currentId: conversation.currentId } : {}),
    ...(conversation.topic ? { topic: conversation.topic } : {}),
  };
}

export class WriteQueue {
  #pending = new Map<string, PendingWrite>();
  #writing: Promise<void> = Promise.resolve();
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retryDelay = 0;
  #forgotten = new Set<string>();
  /** What the pass in progress is writing, so that it still counts as unsaved. */
  #inFlight: PendingWrite | undefined;
  #replyLocks = new Map<string, Promise<Release | undefined>>();

  constructor(
    private readonly store: UseStore,
    private readonly events: WriteEvents,
  ) {}

  /** Queues one message (a plain copy) of `conversation` and writes it. */
  saveMessage(conversation: Conversation, message: StoredMessage): Promise<void> {
    this.#pendingFor(conversation).messages.set(message.id, message);
    return this.flush();
  }

  /** Queues the conversation's whole message list (plain copies), replacing the stored one. */
  saveConversation(conversation: Conversation, messages: StoredMessage[]): Promise<void> {
    const pending = this.#pendingFor(conversation);
    pending.replaceAll = messages;
    pending.messages.clear();
    return this.flush();
  }

  /** Queues the conversation's own fields (which path is shown) without any message. */
  saveHeader(conversation: Conversation): Promise<void> {
    this.#pendingFor(conversation);
    return this.flush();
  }

  /** A rename reaches a conversation that is not stored yet through its queued header. */
  rename(id: string, title: string): boolean {
    const pending = this.#pending.get(id);
    if (pending) pending.conversation = { ...pending.conversation, title };
    return pending !== undefined;
  }

  /** Drops what is queued for a deleted conversation; nothing is written for it until saved anew. */
  forget(id: string): void {
    this.#pending.delete(id);
    this.#forgotten.add(id);
  }

  /** Whether this tab has messages of the conversation not yet written (failed, or in flight). */
  has(id: string): boolean {
    return this.#pending.has(id);
  }

  /** Ids of the messages of conversation `id` queued or being written. */
  pendingMessageIds(id: string): Set<string> {
    const ids = new Set<string>();
    for (const pending of [this.#pending.get(id), this.#inFlight]) {
      if (pending?.conversation.id !== id) continue;
      for (const message of [...(pending.replaceAll ?? []), ...pending.messages.values()])
        ids.add(message.id);
    }
    return ids;
  }

  /** Everything not written yet, per conversation: its fields and its queued messages. */
  pendingWrites(): { conversation: Conversation; messages: StoredMessage[] }[] {
    const all = [...this.#pending.values()];
    if (this.#inFlight && !this.#pending.has(this.#inFlight.conversation.id)) all.push(this.#inFlight);
    return all.map((pending) => ({
      conversation: pending.conversation,
      messages: [...(pending.replaceAll ?? []), ...pending.messages.values()],
    }));
  }

  /** Resolves once every write queued so far has been tried. */
  settled(): Promise<void> {
    return this.#writing;
  }

  /** Runs one write pass after the ones already queued. */
  flush(): Promise<void> {
    this.#writing = this.#writing.then(() => this.#writePending());
    return this.#writing;
  }

  /** Ids of the replies stored as streaming that no tab is writing any more. */
  async cutReplies(conversation: Conversation): Promise<ReadonlySet<string>> {
    const streaming = conversation.messages.filter((m) => m.status === 'streaming');
    if (streaming.length === 0) return new Set();
    const held = await heldLocks().catch(() => undefined);
    return new Set(
      streaming
        .filter((m) => !this.#replyLocks.has(m.id) && !held?.has(replyLockName(m.id)))
        .map((m) => m.id),
    );
  }

  dispose(): void {
    clearTimeout(this.#retryTimer);
  }

  #pendingFor(conversation: Conversation): PendingWrite {
    const header = headerOf(conversation);
    this.#forgotten.delete(header.id);
    const pending = this.#pending.get(header.id) ?? { conversation: header, messages: new Map() };
    pending.conversation = { ...header, title: pending.conversation.title || header.title };
    this.#pending.set(header.id, pending);
    return pending;
  }

  async #writePending(): Promise<void> {
    clearTimeout(this.#retryTimer);
    let failure: unknown;
    for (const [id, pending] of [...this.#pending]) {
      if (this.#pending.get(id) !== pending) continue;
      this.#pending.delete(id);
      this.#inFlight = pending;
      try {
        await this.#lockStreamingReplies(pending);
        const write = { replaceAll: pending.replaceAll, messages: [...pending.messages.values()] };
        const stored = await saveMessages(pending.conversation, write, this.store);
        this.#releaseFinishedReplies(pending);
        if (stored && !this.#forgotten.has(id)) this.events.written(stored);
      } catch (cause) {
        failure = cause;
        this.#requeue(pending);
      } finally {
        this.#inFlight = undefined;
      }
    }
    if (failure === undefined) {
      this.#retryDelay = 0;
      this.events.drained();
      return;
    }
    this.events.failed(failure);
    this.#retryDelay = Math.min(this.#retryDelay ? this.#retryDelay * 2 : RETRY_FIRST_MS, RETRY_MAX_MS);
    this.#retryTimer = setTimeout(() => void this.flush(), this.#retryDelay);
  }

  /** Puts a failed write back, under anything newer queued for the same conversation meanwhile. */
  #requeue(failed: PendingWrite): void {
    const id = failed.conversation.id;
    if (this.#forgotten.has(id)) return;
    const newer = this.#pending.get(id);
    if (!newer) {
      this.#pending.set(id, failed);
    } else if (!newer.replaceAll) {
      newer.replaceAll = failed.replaceAll;
      newer.messages = new Map([...failed.messages, ...newer.messages]);
    }
  }

  async #lockStreamingReplies(pending: PendingWrite): Promise<void> {
    const all = [...(pending.replaceAll ?? []), ...pending.messages.values()];
    for (const message of all) {
      if (message.status === 'streaming' && !this.#replyLocks.has(message.id)) {
        this.#replyLocks.set(message.id, holdLock(replyLockName(message.id)));
      }
    }
    await Promise.all(all.map((m) => this.#replyLocks.get(m.id)));
  }

  #releaseFinishedReplies(pending: PendingWrite): void {
    for (const message of pending.messages.values()) {
      const lock = this.#replyLocks.get(message.id);
      if (!lock || message.status === 'streaming') continue;
      this.#replyLocks.delete(message.id);
      void lock.then((release) => release?.());
    }
  }
}
