/**
 * The conversation on screen and the reply being streamed. The conversation in memory is the source
 * of truth while a reply streams; it is handed to the history to be written when a message is sent,
 * every second while the reply grows, and when it ends, so a closed tab loses at most a second.
 */
import type { EngineErrorName, GenerationStats } from '../../shared/engine';
import { DeltaBatcher } from '../chat/batcher';
import { fitPrompt } from '../chat/context';
import { ThinkSplitter } from '../chat/think';
import { generate, toEngineFailure } from '../engine/bridge';
import type { MessageKey } from '../i18n/messages';
import { SCHEMA_VERSION, type Conversation, type StoredMessage } from '../storage/history';
import type { HistoryChange } from '../tabs';
import { hongKong } from './hong-kong.svelte';
import type { HistoryState } from './history.svelte';
import type { ModelState } from './models.svelte';
import type { SettingsState } from './settings.svelte';

const SAVE_EVERY_MS = 1000;
const TITLE_LENGTH = 60;
/** The user turn that asks for the rest of an answer cut off by the token limit. */
const CONTINUE_PROMPT = 'Continue your answer exactly where it stopped, without repeating anything.';

/** Errors after which the loaded model is gone and must be loaded again. */
const modelLostErrors: EngineErrorName[] = ['DeviceLostError', 'OutOfMemoryError', 'UnknownError'];

function titleFrom(text: string): string {
  const line = text.trim().replace(/\s+/g, ' ');
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}

function userMessage(text: string, id: string = crypto.randomUUID()): StoredMessage {
  return { id, role: 'user', content: text, createdAt: Date.now(), status: 'done' };
}

export class ChatState {
  #active = $state<Conversation | undefined>();
  #streamingId = $state<string | undefined>();
  #notice = $state<MessageKey | undefined>();
  #abort: AbortController | undefined;
  /** Collects the streaming reply's deltas until the next frame. */
  #batcher: DeltaBatcher | undefined;
  #memoryAtStart: { startId: string | undefined; use: number } = { startId: undefined, use: 0 };
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #refreshQueued = false;

  constructor(
    private readonly models: ModelState,
    private readonly history: HistoryState,
    private readonly settings: SettingsState,
  ) {}

  get active(): Conversation | undefined {
    return this.#active;
  }
  get messages(): StoredMessage[] {
    return this.#active?.messages ?? [];
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
    );
    return { startId: fitted.memoryStartId, use: Math.min(fitted.promptTokens / model.contextWindow, 1) };
  }

  dismissNotice(): void {
    this.#notice = undefined;
  }

  async init(): Promise<void> {
    this.history.onChange((change) => this.#onHistoryChange(change));
    this.#active = await this.history.init();
  }

  newConversation(): void {
    if (this.streaming) return;
    this.#active = undefined;
  }

  async open(id: string): Promise<void> {
    if (this.streaming || this.#active?.id === id) return;
    const conversation = await this.history.load(id);
    if (conversation) this.#active = conversation;
  }

  async remove(id: string): Promise<void> {
    if (this.streaming && this.#active?.id === id) return;
    await this.history.remove(id);
    if (this.#active?.id === id) this.#active = undefined;
  }

  /** Another tab changed the history: show its copy of the open conversation. */
  #onHistoryChange(change: HistoryChange): void {
    const id = this.#active?.id;
    if (!id || (change.kind !== 'many' && change.id !== id)) return;
    if (change.kind === 'deleted') {
      if (!this.streaming) this.#active = undefined;
      return;
    }
    void this.#refreshActive(id);
  }

  /** Re-reads the open conversation once no reply streams here; never over unsaved messages. */
  async #refreshActive(id: string): Promise<void> {
    if (this.#refreshQueued) return;
    this.#refreshQueued = true;
    try {
      while (this.streaming) await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      this.#refreshQueued = false;
    }
    const fresh = await this.history.load(id);
    if (fresh && this.#active?.id === id && !this.streaming && !this.history.hasUnsaved(id)) {
      this.#active = fresh;
    }
  }

  /**
   * Sends `text` as the user's turn and streams the loaded model's reply. `start` names and tags the
   * conversation when this turn opens it (a starting point's title and topic).
   */
  async send(text: string, start: Partial<Pick<Conversation, 'title' | 'topic'>> = {}): Promise<void> {
    if (!text.trim() || !this.#canGenerate()) return;
    hongKong.prepare(text);
    const now = Date.now();
    this.#active ??= {
      schemaVersion: SCHEMA_VERSION,
      id: crypto.randomUUID(),
      title: start.title ?? titleFrom(text),
      createdAt: now,
      updatedAt: now,
      messages: [],
      ...(start.topic ? { topic: start.topic } : {}),
    };
    const conversation = this.#active;
    const user = userMessage(text);
    if (!this.#fits([...conversation.messages, user])) return;
    conversation.messages.push(user);
    conversation.updatedAt = now;
    void this.history.saveMessage(conversation, user);
    await this.#reply(conversation);
  }

  /** Replaces the last answer with a new one. */
  async regenerate(): Promise<void> {
    const conversation = this.#active;
    const last = conversation?.messages.at(-1);
    if (!conversation || last?.role !== 'assistant' || !this.#canGenerate()) return;
    conversation.messages.pop();
    await this.history.saveConversation(conversation);
    await this.#reply(conversation);
  }

  /** Changes one of the user's messages and asks again; every later turn is replaced. */
  async editAndResend(messageId: string, text: string): Promise<void> {
    const conversation = this.#active;
    const index = conversation?.messages.findIndex((m) => m.id === messageId) ?? -1;
    if (!conversation || index === -1 || !text.trim() || !this.#canGenerate()) return;
    const edited = userMessage(text, messageId);
    const kept = [...conversation.messages.slice(0, index), edited];
    if (!this.#fits(kept)) return;
    conversation.messages = kept;
    conversation.updatedAt = Date.now();
    await this.history.saveConversation(conversation);
    await this.#reply(conversation);
  }

  /** Asks for the rest of the last answer, cut off by the token limit, and appends it. */
  async continueReply(): Promise<void> {
    const conversation = this.#active;
    const reply = conversation?.messages.at(-1);
    if (!conversation || reply?.role !== 'assistant' || !this.#canGenerate()) return;
    const before = ThinkSplitter.split(reply.content).inThought
      ? `${reply.content}\n</think>\n\n`
      : reply.content;
    const history = [...conversation.messages, userMessage(CONTINUE_PROMPT, 'continue')];
    await this.#stream(conversation, reply, history, (raw) => `${before}${ThinkSplitter.split(raw).answer}`);
  }

  /** Ends the streaming reply at once; what arrived so far is kept. */
  stop(): void {
    this.#abort?.abort();
  }

  /** Writes the streaming reply now (the page is being hidden or closed). */
  flush(): void {
    this.#batcher?.flush();
    const reply = this.#active?.messages.find((m) => m.id === this.#streamingId);
    if (this.#active && reply) void this.history.saveMessage(this.#active, reply);
  }

  #canGenerate(): boolean {
    return !this.streaming && this.models.loaded !== undefined;
  }

  /** Whether the newest turn fits the model's window at all; says so when it does not. */
  #fits(messages: StoredMessage[]): boolean {
    const model = this.models.loaded;
    if (!model) return false;
    const fitted = fitPrompt(
      messages,
      model.contextWindow,
      this.settings.options.maxTokens,
      this.settings.systemPrompt,
      hongKong.askCantonese,
    );
    this.#notice = fitted.tooLong ? 'chat.tooLong' : undefined;
    return !fitted.tooLong;
  }

  /** Adds an empty reply to the conversation and streams the model's answer into it. */
  async #reply(conversation: Conversation): Promise<void> {
    const model = this.models.loaded;
    if (!model) return;
    const history = [...conversation.messages];
    conversation.messages.push({
      id: crypto.randomUUID(),
      role: 'assistant',
      content: '',
      createdAt: Date.now(),
      status: 'streaming',
      modelId: model.id,
    });
    const reply = conversation.messages[conversation.messages.length - 1];
    await this.#stream(conversation, reply, history, (raw) => raw);
  }

  /**
   * Streams a reply to `history` into `reply`, whose content becomes `compose(all text so far)`.
   * Saves as it grows; a failure keeps what arrived and names the error on the message.
   */
  async #stream(
    conversation: Conversation,
    reply: StoredMessage,
    history: StoredMessage[],
    compose: (raw: string) => string,
  ): Promise<void> {
    const model = this.models.loaded;
    if (!model) return;
    const options = this.settings.options;
    const fitted = fitPrompt(
      history,
      model.contextWindow,
      options.maxTokens,
      this.settings.systemPrompt,
      hongKong.askCantonese,
    );
    this.#memoryAtStart = {
      startId: fitted.memoryStartId,
      use: Math.min(fitted.promptTokens / model.contextWindow, 1),
    };
    reply.status = 'streaming';
    reply.error = undefined;
    this.#streamingId = reply.id;
    this.#abort = new AbortController();
    const started = performance.now();
    let raw = '';
    let thoughtClosed = false;
    const batcher = new DeltaBatcher((text) => {
      raw += text;
      reply.content = compose(raw);
      // Only the new text (and a tag split across batches) needs looking at.
      if (!thoughtClosed && raw.slice(-(text.length + 8)).includes('</think>')) {
        thoughtClosed = true;
        reply.thoughtMs ??= performance.now() - started;
      }
      this.#scheduleSave(conversation, reply);
    });
    this.#batcher = batcher;
    try {
      const stats: GenerationStats = await generate(
        fitted.turns,
        { ...options, maxTokens: fitted.maxTokens },
        (delta) => batcher.push(delta),
        this.#abort.signal,
      );
      batcher.flush();
      reply.stats = stats;
      reply.status = stats.finishReason === 'abort' ? 'stopped' : 'done';
    } catch (cause) {
      batcher.flush();
      const failure = toEngineFailure(cause);
      console.error('[chat] reply failed', failure);
      reply.status = 'error';
      reply.error = failure.code;
      if (modelLostErrors.includes(failure.code)) this.models.markLost(failure.code);
    } finally {
      clearTimeout(this.#saveTimer);
      this.#saveTimer = undefined;
      this.#streamingId = undefined;
      this.#abort = undefined;
      this.#batcher = undefined;
      conversation.updatedAt = Date.now();
      await this.history.saveMessage(conversation, reply);
    }
  }

  #scheduleSave(conversation: Conversation, message: StoredMessage): void {
    this.#saveTimer ??= setTimeout(() => {
      this.#saveTimer = undefined;
      void this.history.saveMessage(conversation, message);
    }, SAVE_EVERY_MS);
  }
}
