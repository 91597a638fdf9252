/**
 * The list of saved conversations and every write to them. Components read the list here; the chat
 * state hands its conversation and messages here to be saved, through a write queue that reports a
 * failed write and retries it (src/lib/storage/write-queue.ts) — the conversation in memory, on
 * screen, is never dropped. Other tabs' changes arrive over a BroadcastChannel and are re-read from
 * IndexedDB; a reply left "streaming" by a closed or crashed tab is marked interrupted when loaded.
 */
import type { UseStore } from 'idb-keyval';
import { testModelsEnabled } from '../../shared/config';
import type { MessageKey } from '../i18n/messages';
import {
  deleteConversation,
  getConversation,
  getSummary,
  historyStore,
  listConversations,
  listSummaries,
  loadSummaryList,
  markInterrupted,
  mergeConversations,
  probeStore,
  searchConversations,
  summarize,
  updateConversation,
  type Conversation,
  type ConversationSummary,
  type MergeCounts,
  type StoredMessage,
} from '../storage/history';
import { WriteQueue } from '../storage/write-queue';
import { HistoryChannel, type HistoryChange } from '../tabs';

export type { ConversationSummary } from '../storage/history';

/** How long a deleted conversation can be brought back. */
export const UNDO_MS = 10_000;
const SEARCH_DELAY_MS = 200;
const TITLE_MAX = 200;

/** A full disk, as IndexedDB reports it. */
export const isQuotaError = (cause: unknown) =>
  cause instanceof DOMException && cause.name === 'QuotaExceededError';

export class HistoryState {
  #summaries = $state.raw<ConversationSummary[]>([]);
  #notice = $state<MessageKey | undefined>();
  #available = $state(true);
  #query = $state('');
  #textMatches = $state.raw<ReadonlySet<string> | undefined>();
  #searching = $state(false);
  // Raw: it goes back into IndexedDB as it is, and a deep proxy cannot be cloned there.
  #removed = $state.raw<Conversation | undefined>();
  #visible = $derived(this.#filter());

  readonly #store: UseStore;
  readonly #queue: WriteQueue;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  #searchTicket = 0;
  #undoTimer: ReturnType<typeof setTimeout> | undefined;
  #channel: HistoryChannel | undefined;
  #listeners: ((change: HistoryChange) => void)[] = [];

  constructor(store?: UseStore) {
    this.#store = store ?? historyStore();
    this.#queue = new WriteQueue(this.#store, {
      written: (stored, missedChange) => this.#written(stored, missedChange),
      failed: (cause) => this.#failed(cause),
      drained: () => {
        if (this.#notice === 'storage.failed' || this.#notice === 'storage.full') this.#notice = undefined;
      },
    });
  }

  /** Saved conversations, most recently updated first. */
  get conversations(): ConversationSummary[] {
    return this.#summaries;
  }
  /** The list as shown: all of it, or what matches the search. */
  get visible(): ConversationSummary[] {
    return this.#visible;
  }
  get query(): string {
    return this.#query;
  }
  /** True while message text is being searched (title matches already show). */
  get searching(): boolean {
    return this.#searching;
  }
  /** A message about storage, shown until dismissed. */
  get notice(): MessageKey | undefined {
    return this.#notice;
  }
  /** False when this browser gives the page no storage (private mode, blocked): nothing is saved. */
  get available(): boolean {
    return this.#available;
  }
  /** The conversation just deleted, while it can still be brought back. */
  get lastRemoved(): ConversationSummary | undefined {
    return this.#removed && summarize(this.#removed);
  }

  dismissNotice(): void {
    this.#notice = undefined;
  }

  /** Called when the stored history changed other than by the chat's own saves (another tab, an import). */
  onChange(listener: (change: HistoryChange) => void): () => void {
    this.#listeners.push(listener);
    return () => (this.#listeners = this.#listeners.filter((l) => l !== listener));
  }

  /** Opens storage and reads the list; resolves with the most recent conversation, if any. */
  async init(): Promise<Conversation | undefined> {
    if (testModelsEnabled) Object.assign(globalThis, { __harbourHistory: this });
    try {
      await probeStore(this.#store);
    } catch (cause) {
      console.warn('[history] storage is unavailable; nothing will be saved', cause);
      this.#available = false;
      this.#notice = 'storage.unavailable';
      return undefined;
    }
    this.#channel ??= new HistoryChannel((change) => void this.#onRemoteChange(change));
    const summaries = await this.#guard(() => loadSummaryList(this.#store));
    if (!summaries) return undefined;
    this.#summaries = summaries;
    return summaries[0] ? this.load(summaries[0].id) : undefined;
  }

  /** Reads one conversation; a reply left streaming by a closed or crashed tab comes back interrupted. */
  async load(id: string): Promise<Conversation | undefined> {
    if (!this.#available) return undefined;
    await this.#queue.settled(); // read this tab's own latest writes
    const conversation = await this.#guard(() => getConversation(id, this.#store));
    return conversation && this.#settleInterrupted(conversation);
  }

  /** Whether this tab has messages of the conversation not yet written (failed, or being written). */
  hasUnsaved(id: string): boolean {
    return this.#queue.has(id);
  }

  /** Saves one message of `conversation` (which may be reactive state) and moves it to the top. */
  saveMessage(conversation: Conversation, message: StoredMessage): Promise<void> {
    if (!this.#available) return Promise.resolve();
    this.#showOnTop(conversation);
    return this.#queue.saveMessage(conversation, $state.snapshot(message));
  }

  /** Saves the whole conversation, after messages were removed or replaced (regenerate, edit). */
  saveConversation(conversation: Conversation): Promise<void> {
    if (!this.#available) return Promise.resolve();
    this.#showOnTop(conversation);
    return this.#queue.saveConversation(conversation, $state.snapshot(conversation.messages));
  }

  async rename(id: string, title: string): Promise<void> {
    const clean = title.trim().replace(/\s+/g, ' ').slice(0, TITLE_MAX);
    const before = this.#summaries.find((s) => s.id === id);
    if (!clean || !before || clean === before.title) return;
    this.#replaceSummary({ ...before, title: clean });
    const queued = this.#queue.rename(id, clean);
    if (!this.#available) return;
    const stored = await this.#guard(() =>
      updateConversation(id, (c) => c && { ...c, title: clean }, this.#store),
    );
    if (stored) {
      this.#replaceSummary(summarize(stored));
      this.#channel?.post({ kind: 'saved', id });
    } else if (!queued) {
      this.#replaceSummary(before);
    }
  }

  /** Deletes a conversation; it can be brought back with `undoRemove` for a few seconds. */
  async remove(id: string): Promise<void> {
    this.#queue.forget(id);
    const summary = this.#summaries.find((s) => s.id === id);
    this.#summaries = this.#summaries.filter((s) => s.id !== id);
    if (!this.#available) return;
    await this.#queue.settled();
    let removed: Conversation | undefined;
    try {
      removed = await deleteConversation(id, this.#store);
    } catch (cause) {
      // Still stored: keep it listed, and say so.
      console.error('[history] delete failed', cause);
      this.#notice = isQuotaError(cause) ? 'storage.full' : 'storage.failed';
      if (summary) this.#replaceSummary(summary);
      return;
    }
    this.#channel?.post({ kind: 'deleted', id });
    if (!removed) return;
    clearTimeout(this.#undoTimer);
    this.#removed = removed;
    this.#undoTimer = setTimeout(() => (this.#removed = undefined), UNDO_MS);
  }

  /** Brings back the conversation deleted last. */
  async undoRemove(): Promise<void> {
    const removed = this.#removed;
    if (!removed) return;
    clearTimeout(this.#undoTimer);
    this.#removed = undefined;
    const counts = await this.#guard(() => mergeConversations([removed], this.#store));
    if (!counts) return;
    this.#replaceSummary(summarize(removed));
    this.#channel?.post({ kind: 'saved', id: removed.id });
  }

  dismissUndo(): void {
    clearTimeout(this.#undoTimer);
    this.#removed = undefined;
  }

  /** Filters the list: titles at once, message text after a short pause. */
  search(query: string): void {
    this.#query = query;
    clearTimeout(this.#searchTimer);
    const ticket = ++this.#searchTicket;
    this.#textMatches = undefined;
    if (!query.trim() || !this.#available) {
      this.#searching = false;
      return;
    }
    this.#searching = true;
    this.#searchTimer = setTimeout(() => void this.#searchText(query, ticket), SEARCH_DELAY_MS);
  }

  /** Every stored conversation, for export; undefined when they cannot be read. */
  async storedConversations(): Promise<Conversation[] | undefined> {
    if (!this.#available) return [];
    return this.#guard(() => listConversations(this.#store));
  }

  /** Writes checked conversations all at once (all or nothing); the same ids twice add nothing. */
  async importConversations(conversations: Conversation[]): Promise<MergeCounts> {
    const counts = await mergeConversations(conversations, this.#store);
    this.#summaries = (await this.#guard(() => listSummaries(this.#store))) ?? this.#summaries;
    this.#channel?.post({ kind: 'many' });
    this.#emit({ kind: 'many' }); // the open conversation may have gained messages
    return counts;
  }

  /** Stops listening to other tabs and drops timers (tests). */
  dispose(): void {
    this.#channel?.close();
    this.#channel = undefined;
    this.#queue.dispose();
    clearTimeout(this.#searchTimer);
    clearTimeout(this.#undoTimer);
  }

  #filter(): ConversationSummary[] {
    const needle = this.#query.trim().toLowerCase();
    if (!needle) return this.#summaries;
    const matches = this.#textMatches;
    return this.#summaries.filter((s) => s.title.toLowerCase().includes(needle) || matches?.has(s.id));
  }

  async #searchText(query: string, ticket: number): Promise<void> {
    const found = await this.#guard(() => searchConversations(query, this.#store));
    if (ticket !== this.#searchTicket) return;
    this.#textMatches = found; // undefined when the search failed: titles still match
    this.#searching = false;
  }

  /** Shows the conversation first in the list before it is written (the write corrects it). */
  #showOnTop(conversation: Conversation): void {
    const listed = this.#summaries.find((s) => s.id === conversation.id);
    const summary = {
      ...summarize(conversation),
      title: listed?.title || conversation.title,
      updatedAt: Date.now(),
    };
    this.#summaries = [summary, ...this.#summaries.filter((s) => s.id !== conversation.id)];
  }

  #replaceSummary(summary: ConversationSummary): void {
    const others = this.#summaries.filter((s) => s.id !== summary.id);
    const index = others.findIndex((s) => s.updatedAt <= summary.updatedAt);
    others.splice(index === -1 ? others.length : index, 0, summary);
    this.#summaries = others;
  }

  #written(stored: Conversation, missedChange: boolean): void {
    this.#replaceSummary(summarize(stored));
    this.#channel?.post({ kind: 'saved', id: stored.id });
    if (missedChange) this.#emit({ kind: 'saved', id: stored.id });
  }

  #failed(cause: unknown): void {
    console.error('[history] a write failed; it will be retried', cause);
    this.#notice = isQuotaError(cause) ? 'storage.full' : 'storage.failed';
  }

  async #settleInterrupted(conversation: Conversation): Promise<Conversation> {
    const cut = await this.#queue.cutReplies(conversation);
    if (cut.size === 0) return conversation;
    const marked = await this.#guard(() => markInterrupted(conversation.id, cut, this.#store));
    if (marked) {
      this.#channel?.post({ kind: 'saved', id: conversation.id });
      return marked;
    }
    return {
      ...conversation,
      messages: conversation.messages.map((m) =>
        cut.has(m.id) ? { ...m, status: 'interrupted' as const } : m,
      ),
    };
  }

  async #onRemoteChange(change: HistoryChange): Promise<void> {
    if (change.kind === 'many') {
      const summaries = await this.#guard(() => listSummaries(this.#store));
      if (summaries) this.#summaries = summaries;
    } else if (change.kind === 'deleted') {
      this.#summaries = this.#summaries.filter((s) => s.id !== change.id);
    } else {
      const summary = await this.#guard(() => getSummary(change.id, this.#store));
      if (summary) this.#replaceSummary(summary);
      else this.#summaries = this.#summaries.filter((s) => s.id !== change.id);
    }
    if (this.#query.trim()) this.search(this.#query);
    // Re-reading now would not show our own unwritten messages: re-read again once they are written.
    if (change.kind !== 'many' && this.#queue.has(change.id)) {
      this.#queue.noteMissedChange(change.id);
      return;
    }
    this.#emit(change);
  }

  #emit(change: HistoryChange): void {
    for (const listener of this.#listeners) listener(change);
  }

  async #guard<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (cause) {
      console.error('[history] storage failed', cause);
      this.#notice = isQuotaError(cause) ? 'storage.full' : 'storage.failed';
      return undefined;
    }
  }
}
