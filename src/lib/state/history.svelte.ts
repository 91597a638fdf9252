/**
 * The one owner of saved conversations: the list, the conversation on screen (its messages, every
 * version of them, the path shown and its title) and every write to them. The chat state generates
 * replies *into* the open conversation through the verbs here; nothing else holds a copy. Writes go
 * through a queue that reports a failed write and retries it (src/lib/storage/write-queue.ts); while
 * writes fail, the unsaved tail is also kept in localStorage so a closed tab does not lose it.
 * Other tabs' changes arrive over a BroadcastChannel and are re-read from IndexedDB and merged into
 * the open conversation (what this tab is still writing wins); a reply left "streaming" by a closed
 * or crashed tab is marked interrupted when loaded.
 */
import type { UseStore } from 'idb-keyval';
import { SvelteSet } from 'svelte/reactivity';
import type { MessageKey } from '../i18n/messages';
import { restoreUnsaved, saveUnsaved, type UnsavedTail } from '../storage/backup';
import {
  addImported,
  deleteConversation,
  getConversation,
  getSummary,
  hasConversation,
  listConversations,
  listSummaries,
  loadSummaryList,
  markInterrupted,
  mergeConversations,
  mergeOpenMessages,
  openHistoryStore,
  probeStore,
  searchConversations,
  summarize,
  updateConversation,
  type Conversation,
  type ConversationSummary,
  type ImportCounts,
  type StoredMessage,
  SCHEMA_VERSION,
} from '../storage/history';
import type { CopyNaming } from '../storage/transfer';
import { i18n } from './locale.svelte';
import { newestLeafUnder, pathTo, versionsByParent, visiblePath } from '../storage/tree';
import { onDamaged } from '../storage/validate';
import { WriteQueue } from '../storage/write-queue';
import { HistoryChannel, type HistoryChange } from '../tabs';

/** What a new conversation starts with: a starting point's title and topic. */
export type ConversationStart = Partial<Pick<Conversation, 'title' | 'topic'>>;

/** Where a message sits among its versions. */
export interface VersionPlace {
  index: number;
  count: number;
  previousId?: string;
  nextId?: string;
}

const TITLE_LENGTH = 60;

function titleFrom(text: string): string {
  const line = text.trim().replace(/\s+/g, ' ');
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}

export type { ConversationSummary } from '../storage/history';

/** An imported chat whose id is taken by another one is kept beside it, under a new id and a marked title. */
const importedCopy: CopyNaming = {
  newId: () => crypto.randomUUID(),
  title: (title) => i18n.t('import.copyTitle', { title: title || i18n.t('chat.untitled') }),
};

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
  // Deep state: a streaming reply's text re-renders as it grows. The path changes only with the tree.
  #open = $state<Conversation | undefined>();
  #path = $derived(this.#open ? visiblePath(this.#open) : []);
  // Read once per change of the tree (not of a reply's text): every message on screen asks for it.
  #versions = $derived(versionsByParent(this.#open?.messages ?? []));
  #openingId = $state<string | undefined>();
  #failing = $state(false);
  #closed = $state(false);
  #damaged = $state(0);
  #damageSeen = $state(0);
  #stopDamage: (() => void) | undefined;
  #listed: Promise<boolean> | undefined;
  /** Resolves when the conversation being opened is on screen; a send waits for it. */
  #opened: Promise<void> = Promise.resolve();
  #openTicket = 0;
  /** Messages this tab is generating into the open conversation: its copy wins over a stored one. */
  #live = new SvelteSet<string>();

  readonly #store: UseStore;
  readonly #queue: WriteQueue;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  #searchTicket = 0;
  #undoTimer: ReturnType<typeof setTimeout> | undefined;
  #channel: HistoryChannel | undefined;

  constructor(store?: UseStore) {
    this.#store = store ?? openHistoryStore({ onVersionChange: () => this.#closeForUpgrade() });
    this.#queue = new WriteQueue(this.#store, {
      written: (stored) => this.#written(stored),
      failed: (cause) => this.#failed(cause),
      drained: () => this.#drained(),
    });
  }

  /** The conversation on screen; undefined for a new chat not yet sent, or while one opens. */
  get open(): Conversation | undefined {
    return this.#open;
  }
  /** The messages on screen: the open conversation's visible path, oldest first. */
  get path(): StoredMessage[] {
    return this.#path;
  }
  /** The id of the conversation being opened (its messages are being read), if any. */
  get openingId(): string | undefined {
    return this.#openingId;
  }
  /** The id of the conversation the screen is on, opened or opening. */
  get currentId(): string | undefined {
    return this.#openingId ?? this.#open?.id;
  }
  /** True while writes fail and text on screen is not in IndexedDB yet (leaving would be warned about). */
  get unsaved(): boolean {
    return this.#failing;
  }
  /**
   * How many stored chats could not be read (damaged, or from a newer release), while that is news
   * to the user: 0 once dismissed, until another one is found. They are left as they are stored.
   */
  get damaged(): number {
    return this.#damaged > this.#damageSeen ? this.#damaged : 0;
  }

  dismissDamaged(): void {
    this.#damageSeen = this.#damaged;
  }

  /** True once another tab upgraded the database: this one must reload. */
  get closedForUpgrade(): boolean {
    return this.#closed;
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

  /** Reads the list (if `readList` has not) and opens the newest chat. */
  async init(): Promise<Conversation | undefined> {
    if (!(await this.readList())) return undefined;
    const newest = this.#summaries[0];
    if (newest && this.#openTicket === 0) await this.openConversation(newest.id);
    return this.#open;
  }

  /**
   * Opens storage, recovers text a failing tab left aside and reads the list, once: later calls get
   * the same read. The app starts it before its UI is even loaded (src/main.ts); true once listed.
   */
  readList(): Promise<boolean> {
    return (this.#listed ??= this.#readList());
  }

  async #readList(): Promise<boolean> {
    this.#stopDamage ??= onDamaged((count) => (this.#damaged = count));
    try {
      await probeStore(this.#store);
    } catch (cause) {
      console.warn('[history] storage is unavailable; nothing will be saved', cause);
      this.#available = false;
      this.#notice = 'storage.unavailable';
      return false;
    }
    this.#channel ??= new HistoryChannel((change) => void this.#onRemoteChange(change));
    await this.#recover();
    const summaries = await this.#guard(() => loadSummaryList(this.#store));
    if (!summaries) return false;
    this.#summaries = summaries;
    return true;
  }

  /** Shows the conversation `id`. Refused while a reply streams into the open one. */
  async openConversation(id: string): Promise<void> {
    if (this.#live.size > 0 || this.currentId === id) return;
    const ticket = ++this.#openTicket;
    this.#open = undefined;
    this.#openingId = id;
    const opened = this.load(id).then((conversation) => {
      if (ticket !== this.#openTicket) return;
      this.#open = conversation;
      this.#openingId = undefined;
    });
    this.#opened = opened;
    await opened;
  }

  /** Shows an empty new chat; it is stored with its first message. */
  startNew(): void {
    if (this.#live.size > 0) return;
    this.#openTicket++;
    this.#open = undefined;
    this.#openingId = undefined;
    this.#opened = Promise.resolve();
  }

  /** Resolves once the conversation the screen switched to is loaded, so a send lands in it. */
  settled(): Promise<void> {
    return this.#opened;
  }

  /** The versions of a message on screen, and which one it is. */
  versions(message: StoredMessage): VersionPlace {
    const all = this.#versions.get(message.parentId) ?? [message];
    const index = Math.max(
      all.findIndex((m) => m.id === message.id),
      0,
    );
    return { index, count: all.length, previousId: all[index - 1]?.id, nextId: all[index + 1]?.id };
  }

  /** Shows version `id` of a message (and the newest path below it). */
  showVersion(id: string): void {
    const open = this.#open;
    if (!open || this.#live.size > 0 || !open.messages.some((m) => m.id === id)) return;
    open.currentId = newestLeafUnder(open.messages, id);
    void this.#queue.saveHeader($state.snapshot(open));
  }

  /** The path from the first question down to message `id` of the open conversation. */
  pathTo(id: string): StoredMessage[] {
    return this.#open ? pathTo(this.#open.messages, id) : [];
  }

  /**
   * Adds a message to the open conversation (starting one when none is open) after its `parentId`,
   * shows it last and saves it. Returns the message as the conversation holds it (reactive).
   */
  add(message: StoredMessage, start: ConversationStart = {}): StoredMessage {
    const now = Date.now();
    this.#open ??= {
      schemaVersion: SCHEMA_VERSION,
      id: crypto.randomUUID(),
      title: start.title ?? titleFrom(message.content),
      createdAt: now,
      updatedAt: now,
      messages: [],
      ...(start.topic ? { topic: start.topic } : {}),
    };
    this.#openingId = undefined;
    const open = this.#open;
    open.messages.push(message);
    open.currentId = message.id;
    open.updatedAt = now;
    const added = open.messages[open.messages.length - 1];
    void this.saveMessage(open, added);
    return added;
  }

  /** Marks a message of the open conversation as being generated here (this copy wins) or done. */
  setLive(id: string, live: boolean): void {
    if (live) this.#live.add(id);
    else this.#live.delete(id);
  }

  /** Reads one conversation; a reply left streaming by a closed or crashed tab comes back interrupted. */
  async load(id: string): Promise<Conversation | undefined> {
    if (!this.#available) return undefined;
    await this.#queue.settled(); // read this tab's own latest writes
    const conversation = await this.#guard(() => getConversation(id, this.#store));
    return conversation && this.#settleInterrupted(conversation);
  }

  /** Saves one message of `conversation` (which may be reactive state) and moves it to the top. */
  saveMessage(conversation: Conversation, message: StoredMessage): Promise<void> {
    if (!this.#available || this.#closed) return Promise.resolve();
    this.#showOnTop(conversation);
    // Only the conversation's own fields are written with the message: a copy of all its messages,
    // made every SAVE_EVERY_MS while a reply streams, grew with the conversation.
    const header = $state.snapshot({ ...conversation, messages: [] });
    return this.#queue.saveMessage(header, $state.snapshot(message));
  }

  async rename(id: string, title: string): Promise<void> {
    const clean = title.trim().replace(/\s+/g, ' ').slice(0, TITLE_MAX);
    const before = this.#summaries.find((s) => s.id === id);
    if (!clean || !before || clean === before.title) return;
    this.#replaceSummary({ ...before, title: clean });
    if (this.#open?.id === id) this.#open.title = clean;
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
    if (this.#open?.id === id) {
      if (this.#live.size > 0) return;
      this.startNew();
    }
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

  /** Writes checked conversations all at once (all or nothing), never into a stored one. */
  async importConversations(conversations: Conversation[]): Promise<ImportCounts> {
    const counts = await addImported(conversations, importedCopy, this.#store);
    this.#summaries = (await this.#guard(() => listSummaries(this.#store))) ?? this.#summaries;
    this.#channel?.post({ kind: 'many' });
    return counts;
  }

  /** Stops listening to other tabs and drops timers (tests). */
  dispose(): void {
    this.#channel?.close();
    this.#channel = undefined;
    this.#stopDamage?.();
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
    // A streaming reply is saved every 100 ms: leave the list alone while it is already on top as is.
    if (this.#isFirstAlready(conversation.id, conversation.title, conversation.messages.length)) return;
    const listed = this.#summaries.find((s) => s.id === conversation.id);
    const summary = {
      ...summarize(conversation),
      title: listed?.title || conversation.title,
      updatedAt: Date.now(),
    };
    this.#summaries = [summary, ...this.#summaries.filter((s) => s.id !== conversation.id)];
  }

  /** Whether the list already starts with this conversation as it would show it now. */
  #isFirstAlready(id: string, title: string, messageCount: number): boolean {
    const first = this.#summaries[0];
    return first?.id === id && (first.title === title || !title) && first.messageCount === messageCount;
  }

  #replaceSummary(summary: ConversationSummary): void {
    if (this.#isFirstAlready(summary.id, summary.title, summary.messageCount)) return;
    const others = this.#summaries.filter((s) => s.id !== summary.id);
    const index = others.findIndex((s) => s.updatedAt <= summary.updatedAt);
    others.splice(index === -1 ? others.length : index, 0, summary);
    this.#summaries = others;
  }

  #written(stored: Conversation): void {
    this.#replaceSummary(summarize(stored));
    this.#channel?.post({ kind: 'saved', id: stored.id });
  }

  #failed(cause: unknown): void {
    console.error('[history] a write failed; it will be retried', cause);
    this.#notice = isQuotaError(cause) ? 'storage.full' : 'storage.failed';
    this.#failing = true;
    this.#keepAside();
  }

  #drained(): void {
    if (this.#notice === 'storage.failed' || this.#notice === 'storage.full') this.#notice = undefined;
    if (this.#failing) saveUnsaved([]);
    this.#failing = false;
  }

  /** While writes fail, the unsaved tail goes to localStorage, which survives a closed tab. */
  #keepAside(): void {
    const tails: UnsavedTail[] = this.#queue.pendingWrites();
    if (!saveUnsaved(tails)) console.warn('[history] no storage could keep the unsaved text');
  }

  /** Writes back what a tab kept aside while its writes failed; once written, the copy is dropped. */
  async #recover(): Promise<void> {
    const recovered = await this.#guard(() => restoreUnsaved(this.#store));
    if (recovered && recovered > 0) console.info('[history] recovered unsaved messages', recovered);
  }

  /** Another tab upgraded the database: this connection was closed so the upgrade could go on. */
  #closeForUpgrade(): void {
    this.#closed = true;
    this.#notice = 'storage.reload';
    this.#channel?.close();
    this.#channel = undefined;
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

  /**
   * Another tab says a conversation changed. The message is only a hint of what to re-read (any
   * same-origin page can post one): the list and the open chat follow what storage holds.
   */
  async #onRemoteChange(change: HistoryChange): Promise<void> {
    if (change.kind === 'many') {
      const summaries = await this.#guard(() => listSummaries(this.#store));
      if (summaries) this.#summaries = summaries;
    } else {
      const summary = await this.#guard(() => getSummary(change.id, this.#store));
      if (summary) this.#replaceSummary(summary);
      else this.#summaries = this.#summaries.filter((s) => s.id !== change.id);
    }
    if (this.#query.trim()) this.search(this.#query);
    const open = this.#open;
    if (!open || (change.kind !== 'many' && change.id !== open.id)) return;
    await this.#refreshOpen();
  }

  /** The open chat was deleted in another tab: close it, unless a reply is being written into it here. */
  #deletedElsewhere(open: Conversation): void {
    if (this.#live.size === 0) {
      this.startNew();
      return;
    }
    // Write it back whole: a reply still streaming here would otherwise come back alone.
    void this.#queue.saveConversation($state.snapshot(open), $state.snapshot(open.messages));
  }

  /**
   * Re-reads the open conversation and merges it with what is on screen: stored messages are taken,
   * except those this tab is still generating or has not written yet, which stay as they are here.
   */
  async #refreshOpen(): Promise<void> {
    const open = this.#open;
    if (!open) return;
    const read = await this.#guard(() =>
      Promise.all([getConversation(open.id, this.#store), hasConversation(open.id, this.#store)]),
    );
    if (!read || this.#open !== open) return;
    const [fresh, stored] = read;
    if (!stored) {
      this.#deletedElsewhere(open);
      return;
    }
    if (!fresh) return; // damaged meanwhile: reported; what is on screen stays
    const unwritten = this.#queue.pendingMessageIds(open.id);
    open.messages = mergeOpenMessages(
      open.messages,
      fresh.messages,
      (id) => this.#live.has(id) || unwritten.has(id),
    );
    open.title = fresh.title;
    open.updatedAt = fresh.updatedAt;
    if (this.#live.size === 0 && fresh.currentId) open.currentId = fresh.currentId;
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
