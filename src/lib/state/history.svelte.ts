/**
 * The list of saved conversations and every write to them. Components read the list here; the chat
 * state hands its conversation and messages here to be saved. A failed write is reported, never
 * thrown: what is on screen stays as it is.
 */
import type { MessageKey } from '../i18n/messages';
import {
  deleteConversation,
  getConversation,
  listConversations,
  upsertMessage,
  type Conversation,
  type StoredMessage,
} from '../storage/history';

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
}

const summaryOf = (c: Conversation): ConversationSummary => ({
  id: c.id,
  title: c.title,
  updatedAt: c.updatedAt,
});

export class HistoryState {
  #summaries = $state<ConversationSummary[]>([]);
  #notice = $state<MessageKey | undefined>();

  /** Saved conversations, most recently updated first. */
  get conversations(): ConversationSummary[] {
    return this.#summaries;
  }
  /** A message about storage, shown until dismissed. */
  get notice(): MessageKey | undefined {
    return this.#notice;
  }

  dismissNotice(): void {
    this.#notice = undefined;
  }

  /** Reads the list; resolves with the most recent conversation, if any. */
  async init(): Promise<Conversation | undefined> {
    const all = await this.#guard(() => listConversations());
    if (!all) return undefined;
    this.#summaries = all.map(summaryOf);
    return all[0];
  }

  load(id: string): Promise<Conversation | undefined> {
    return this.#guard(() => getConversation(id));
  }

  async remove(id: string): Promise<void> {
    await this.#guard(() => deleteConversation(id));
    this.#summaries = this.#summaries.filter((s) => s.id !== id);
  }

  /** Saves one message of `conversation` (which may be reactive state) and moves it to the top. */
  async saveMessage(conversation: Conversation, message: StoredMessage): Promise<void> {
    const plain = $state.snapshot(conversation);
    const others = this.#summaries.filter((s) => s.id !== plain.id);
    this.#summaries = [summaryOf(plain), ...others];
    await this.#guard(() => upsertMessage(plain, $state.snapshot(message)));
  }

  async #guard<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (cause) {
      console.error('[history] storage failed', cause);
      this.#notice = 'storage.failed';
      return undefined;
    }
  }
}
