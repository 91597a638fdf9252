/**
 * Generates replies into the open conversation, which the history owns (./history.svelte.ts): a
 * send, a regenerated answer (a new version beside the old one), an edited question (a new version
 * with its own reply) and a continued answer (the same message, carried on). The prompt is built
 * from the path on screen only. While a reply streams it is saved every SAVE_EVERY_MS, so a crash
 * loses at most that much text plus one write.
 */
import {
  asEngineError,
  type ChatTurn,
  type EngineErrorName,
  type GenerationStats,
} from '../../shared/engine';
import { afterPaint } from '../after-paint';
import { DeltaBatcher } from '../chat/batcher';
import { estimateTokens, estimateTurns, fitPrompt, type CountTokens } from '../chat/context';
import { turnOf } from '../chat/prompt';
import { ThinkSplitter } from '../chat/think';
import { generate } from '../engine/bridge';
import type { MessageKey } from '../i18n/messages';
import type { Conversation, StoredMessage } from '../storage/history';
import type { ConversationStart, HistoryState, VersionPlace } from './history.svelte';
import { hongKong } from './hong-kong.svelte';
import type { ModelState } from './models.svelte';
import type { SettingsState } from './settings.svelte';
import { TokenCounts } from './token-counts.svelte';

/** How often a growing reply is written: the most text a crash can lose (plus one write). */
export const SAVE_EVERY_MS = 100;

/** Errors after which the loaded model is gone and must be loaded again. */
const modelLostErrors: EngineErrorName[] = [
  'DeviceLostError',
  'OutOfMemoryError',
  'EngineCrashedError',
  'UnknownError',
];

function userMessage(text: string, parentId: string | undefined): StoredMessage {
  return {
    id: crypto.randomUUID(),
    ...(parentId !== undefined ? { parentId } : {}),
    role: 'user',
    content: text,
    createdAt: Date.now(),
    status: 'done',
  };
}

/** A reply cut short (stopped, interrupted, failed part-way, or at the length limit) can be continued. */
export function canContinue(message: StoredMessage): boolean {
  if (message.role !== 'assistant') return false;
  if (message.stats?.finishReason === 'length' && message.status === 'done') return true;
  const cut = message.status === 'stopped' || message.status === 'interrupted' || message.status === 'error';
  return cut && message.content.length > 0;
}

export class ChatState {
  #streamingId = $state<string | undefined>();
  #notice = $state<MessageKey | undefined>();
  #abort: AbortController | undefined;
  /** Collects the streaming reply's deltas until the next frame. */
  #batcher: DeltaBatcher | undefined;
  #memoryAtStart: { startId: string | undefined; use: number } = { startId: undefined, use: 0 };
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #sending = false;
  #tokens = new TokenCounts();

  constructor(
    private readonly models: ModelState,
    private readonly history: HistoryState,
    private readonly settings: SettingsState,
  ) {}

  /** The open conversation (owned by the history). */
  get active(): Conversation | undefined {
    return this.history.open;
  }
  /** The messages on screen: the visible path of the open conversation. */
  get messages(): StoredMessage[] {
    return this.history.path;
  }
  get streaming(): boolean {
    return this.#streamingId !== undefined;
  }
  get streamingId(): string | undefined {
    return this.#streamingId;
  }
  /** A message about the last thing the user tried (e.g. a message too long to send). */
  get notice(): MessageKey | undefined {
    return this.#notice;
  }
  /**
   * Where the model's memory of the conversation begins (the oldest message it still sees) and how
   * much of its window that takes. Not recomputed per token while a reply streams.
   */
  get memory(): { startId: string | undefined; use: number } {
    if (this.streaming) return this.#memoryAtStart;
    const model = this.models.loaded ?? this.models.selected;
    const { maxTokens } = this.settings.options;
    const fitted = fitPrompt(
      this.messages,
      model.contextWindow,
      maxTokens,
      this.settings.systemPrompt,
      hongKong.askCantonese,
      this.#tokens.counter(this.models.loaded?.id),
    );
    return { startId: fitted.memoryStartId, use: Math.min(fitted.promptTokens / model.contextWindow, 1) };
  }

  /** True while a conversation the screen switched to is being read. */
  get opening(): boolean {
    return this.history.openingId !== undefined;
  }

  /** Where a message on screen sits among its versions. */
  versions(message: StoredMessage): VersionPlace {
    return this.history.versions(message);
  }

  /** Shows another version of a message; not while a reply streams. */
  showVersion(id: string): void {
    if (!this.streaming) this.history.showVersion(id);
  }

  dismissNotice(): void {
    this.#notice = undefined;
  }

  /**
   * Sends `text` as the user's turn in the conversation on screen — once a switch to another one has
   * finished loading — and streams the model's reply. `start` names and tags a conversation this turn
   * opens. Resolves false when the text was not sent (too long, or no model), so it can be kept.
   */
  async send(text: string, start: ConversationStart = {}): Promise<boolean> {
    if (!text.trim() || !this.#canGenerate()) return false;
    hongKong.prepare(text);
    this.#sending = true;
    let user: StoredMessage;
    try {
      await this.history.settled();
      if (!this.models.loaded || this.streaming) return false;
      const path = this.history.path;
      user = userMessage(text, path.at(-1)?.id);
      if (!(await this.#fits([...path, user]))) return false;
    } finally {
      this.#sending = false;
    }
    if (!this.models.loaded || this.streaming) return false;
    const added = this.history.add(user, start);
    await this.#reply(added);
    return true;
  }

  /** Answers the question of `replyId` again: the new answer is a version beside the old one. */
  async regenerate(replyId: string): Promise<void> {
    const reply = this.#find(replyId);
    const question = reply?.parentId !== undefined ? this.#find(reply.parentId) : undefined;
    if (reply?.role !== 'assistant' || question?.role !== 'user' || !this.#canGenerate()) return;
    await this.#reply(question);
  }

  /** Asks an edited question: a version beside the original, with its own reply. */
  async editAndResend(messageId: string, text: string): Promise<void> {
    const original = this.#find(messageId);
    if (original?.role !== 'user' || !text.trim() || !this.#canGenerate()) return;
    const before = original.parentId !== undefined ? this.history.pathTo(original.parentId) : [];
    const edited = userMessage(text, original.parentId);
    this.#sending = true;
    try {
      if (!(await this.#fits([...before, edited]))) return;
    } finally {
      this.#sending = false;
    }
    if (!this.#canGenerate()) return;
    await this.#reply(this.history.add(edited));
  }

  /**
   * Carries on a reply that was cut short, in the same message: the engine gets the text so far as
   * the start of the assistant's turn (thought included) and continues it.
   */
  async continueReply(replyId: string): Promise<void> {
    const reply = this.#find(replyId);
    if (!reply || !canContinue(reply) || !this.#canGenerate()) return;
    if (this.messages.at(-1)?.id !== reply.id || reply.parentId === undefined) return;
    await this.#stream(reply, this.history.pathTo(reply.parentId), reply.content);
  }

  /** Ends the streaming reply at once; what arrived so far is kept. */
  stop(): void {
    this.#abort?.abort();
  }

  /** Writes the streaming reply now (the page is being hidden or closed). */
  flush(): void {
    this.#batcher?.flush();
    const open = this.history.open;
    const reply = this.#streamingId !== undefined ? this.#find(this.#streamingId) : undefined;
    if (open && reply) void this.history.saveMessage(open, reply);
  }

  #find(id: string): StoredMessage | undefined {
    return this.history.open?.messages.find((m) => m.id === id);
  }

  #canGenerate(): boolean {
    return !this.streaming && !this.#sending && this.models.loaded !== undefined;
  }

  /**
   * Whether the newest turn fits the model's window at all; says so when it does not. Counts every
   * text the fit reads with the model's tokenizer first (where the runtime has one).
   */
  async #fits(messages: StoredMessage[]): Promise<boolean> {
    const model = this.models.loaded;
    if (!model) return false;
    const fit = (count: CountTokens) =>
      fitPrompt(
        messages,
        model.contextWindow,
        this.settings.options.maxTokens,
        this.settings.systemPrompt,
        hongKong.askCantonese,
        count,
      );
    const texts = messages.flatMap((message) => turnOf(message)?.content ?? []);
    fit((text) => {
      texts.push(text);
      return estimateTokens(text);
    });
    await this.#tokens.ensure(model.id, texts);
    const fitted = fit(this.#tokens.counter(model.id));
    this.#notice = fitted.tooLong ? 'chat.tooLong' : undefined;
    return !fitted.tooLong;
  }

  /** Adds an empty reply to `question` (shown last) and streams the model's answer into it. */
  async #reply(question: StoredMessage): Promise<void> {
    const model = this.models.loaded;
    if (!model) return;
    const reply = this.history.add({
      id: crypto.randomUUID(),
      parentId: question.id,
      role: 'assistant',
      content: '',
      createdAt: Date.now(),
      status: 'streaming',
      modelId: model.id,
    });
    await this.#stream(reply, this.history.pathTo(question.id), '');
  }

  /** The turns for a reply to `history`, ending with `prefix` as the assistant's turn when continuing. */
  #prompt(history: StoredMessage[], prefix: string): { turns: ChatTurn[]; maxTokens: number } {
    const model = this.models.loaded ?? this.models.selected;
    const options = this.settings.options;
    const count = this.#tokens.counter(this.models.loaded?.id);
    const continued: ChatTurn[] = prefix ? [{ role: 'assistant', content: prefix }] : [];
    const reserve = prefix ? estimateTurns(continued, count) : 0;
    const fitted = fitPrompt(
      history,
      model.contextWindow,
      options.maxTokens + reserve,
      this.settings.systemPrompt,
      hongKong.askCantonese,
      count,
    );
    this.#memoryAtStart = {
      startId: fitted.memoryStartId,
      use: Math.min((fitted.promptTokens + reserve) / model.contextWindow, 1),
    };
    return { turns: [...fitted.turns, ...continued], maxTokens: Math.max(fitted.maxTokens - reserve, 0) };
  }

  /**
   * Streams the model's reply to `history` into `reply`, after `prefix` (what the reply already
   * holds when it is continued). Saves as it grows; a failure keeps what arrived and names the error.
   */
  async #stream(reply: StoredMessage, history: StoredMessage[], prefix: string): Promise<void> {
    const open = this.history.open;
    if (!this.models.loaded || !open) return;
    const { turns, maxTokens } = this.#prompt(history, prefix);
    const before = reply.stats;
    reply.status = 'streaming';
    reply.error = undefined;
    this.#streamingId = reply.id;
    this.history.setLive(reply.id, true);
    this.#abort = new AbortController();
    const started = performance.now();
    let raw = prefix;
    let thoughtClosed = ThinkSplitter.split(prefix).thoughtClosed;
    const batcher = new DeltaBatcher((text) => {
      raw += text;
      reply.content = raw;
      // Only the new text (and a tag split across batches) needs looking at.
      if (!thoughtClosed && raw.slice(-(text.length + 8)).includes('</think>')) {
        thoughtClosed = true;
        reply.thoughtMs = (reply.thoughtMs ?? 0) + performance.now() - started;
      }
      this.#scheduleSave(open, reply);
    });
    this.#batcher = batcher;
    try {
      const stats: GenerationStats = await generate(
        turns,
        { ...this.settings.options, maxTokens },
        (delta) => batcher.push(delta),
        this.#abort.signal,
      );
      batcher.flush();
      // The last words get a frame of their own: the reply's end (its actions and figures, the
      // announcement, the save) is drawn in the next, so that on a slow device it cannot hold them back.
      await afterPaint();
      reply.stats = before
        ? { ...stats, completionTokens: before.completionTokens + stats.completionTokens }
        : stats;
      reply.status = stats.finishReason === 'abort' ? 'stopped' : 'done';
    } catch (cause) {
      batcher.flush();
      const failure = asEngineError(cause);
      console.error('[chat] reply failed', failure);
      reply.status = 'error';
      reply.error = failure.name;
      if (modelLostErrors.includes(failure.name)) this.models.markLost(failure.name);
    } finally {
      clearTimeout(this.#saveTimer);
      this.#saveTimer = undefined;
      this.#streamingId = undefined;
      this.#abort = undefined;
      this.#batcher = undefined;
      open.updatedAt = Date.now();
      await this.history.saveMessage(open, reply);
      this.history.setLive(reply.id, false);
    }
  }

  #scheduleSave(conversation: Conversation, message: StoredMessage): void {
    this.#saveTimer ??= setTimeout(() => {
      this.#saveTimer = undefined;
      void this.history.saveMessage(conversation, message);
    }, SAVE_EVERY_MS);
  }
}
