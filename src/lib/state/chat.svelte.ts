/**
 * The conversation on screen and the reply being streamed. The conversation in memory is the source
 * of truth while a reply streams; it is handed to the history to be written when a message is sent,
 * every second while the reply grows, and when it ends, so a closed tab loses at most a second.
 */
import type { EngineErrorName, GenerateOptions } from '../../shared/engine';
import { generate, toEngineFailure } from '../engine/bridge';
import { buildTurns } from '../chat/prompt';
import { SCHEMA_VERSION, type Conversation, type StoredMessage } from '../storage/history';
import type { HistoryState } from './history.svelte';
import type { ModelState } from './models.svelte';

const SAVE_EVERY_MS = 1000;
const TITLE_LENGTH = 60;

/** Errors after which the loaded model is gone and must be loaded again. */
const modelLostErrors: EngineErrorName[] = ['DeviceLostError', 'OutOfMemoryError', 'UnknownError'];

export const defaultGenerateOptions: GenerateOptions = { temperature: 0.6, topP: 0.95, maxTokens: 2048 };

function titleFrom(text: string): string {
  const line = text.trim().replace(/\s+/g, ' ');
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}

export class ChatState {
  #active = $state<Conversation | undefined>();
  #streamingId = $state<string | undefined>();
  #abort: AbortController | undefined;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly models: ModelState,
    private readonly history: HistoryState,
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
  async init(): Promise<void> {
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

  /** Sends `text` as the user's turn and streams the loaded model's reply. */
  async send(text: string, options: GenerateOptions = defaultGenerateOptions): Promise<void> {
    const model = this.models.loaded;
    if (!text.trim() || this.streaming || !model) return;
    const now = Date.now();
    this.#active ??= {
      schemaVersion: SCHEMA_VERSION,
      id: crypto.randomUUID(),
      title: titleFrom(text),
      createdAt: now,
      updatedAt: now,
      messages: [],
    };
    const conversation = this.#active;
    const user: StoredMessage = {
      id: crypto.randomUUID(),
      role: 'user',
      content: text,
      createdAt: now,
      status: 'done',
    };
    const turns = buildTurns([...conversation.messages, user]);
    conversation.messages.push(user, {
      id: crypto.randomUUID(),
      role: 'assistant',
      content: '',
      createdAt: now,
      status: 'streaming',
      modelId: model.id,
    });
    const reply = conversation.messages[conversation.messages.length - 1];
    conversation.updatedAt = now;
    this.#streamingId = reply.id;
    void this.history.saveMessage(conversation, user);

    this.#abort = new AbortController();
    try {
      const stats = await generate(
        turns,
        options,
        (delta) => {
          reply.content += delta;
          this.#scheduleSave(conversation, reply);
        },
        this.#abort.signal,
      );
      reply.stats = stats;
      reply.status = stats.finishReason === 'abort' ? 'stopped' : 'done';
    } catch (cause) {
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
      await this.history.saveMessage(conversation, reply);
    }
  }

  /** Ends the streaming reply at once; what arrived so far is kept. */
  stop(): void {
    this.#abort?.abort();
  }

  /** Writes the streaming reply now (the page is being hidden or closed). */
  flush(): void {
    const reply = this.#active?.messages.find((m) => m.id === this.#streamingId);
    if (this.#active && reply) void this.history.saveMessage(this.#active, reply);
  }

  #scheduleSave(conversation: Conversation, message: StoredMessage): void {
    this.#saveTimer ??= setTimeout(() => {
      this.#saveTimer = undefined;
      void this.history.saveMessage(conversation, message);
    }, SAVE_EVERY_MS);
  }
}
