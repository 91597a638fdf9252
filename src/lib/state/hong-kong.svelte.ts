/**
 * Hong Kong Chinese for the model's replies: show them in Traditional characters (the R1 distills
 * often answer Chinese questions in Simplified), and ask for written Cantonese / Traditional in the
 * prompt. Both are on by default when the interface is zh-HK, until the user sets them. Like the
 * interface language, they are read all over the page (messages, Copy, exports, the prompt), so
 * they live in one shared instance. The converter (opencc-js's dictionaries, about 1 MB) is its own
 * chunk, loaded the first time a text with Chinese characters is shown with the setting on.
 */
import type { HongKongConverter } from '../chinese/hong-kong';
import { i18n } from './locale.svelte';
import { jsonFormat, Persisted } from './persisted.svelte';

const HAN = /\p{Script=Han}/u;

export interface HongKongPreferences {
  /** Undefined: follow the interface language. */
  showTraditional?: boolean;
  askCantonese?: boolean;
}

/** Keeps the two flags where they are true or false; anything else follows the language. */
function validPreferences(raw: unknown): HongKongPreferences {
  const input = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const flag = (value: unknown) => (typeof value === 'boolean' ? value : undefined);
  return { showTraditional: flag(input.showTraditional), askCantonese: flag(input.askCantonese) };
}

export class HongKongState {
  #preferences = new Persisted<HongKongPreferences>(
    'harbour-chat:hong-kong',
    () => ({}),
    jsonFormat(validPreferences),
  );
  #converter = $state.raw<HongKongConverter | undefined>();
  #failed = $state(false);
  #loading: Promise<HongKongConverter | undefined> | undefined;

  /** Replies are shown (copied, exported as Markdown) in Hong Kong Traditional Chinese. */
  get showTraditional(): boolean {
    return this.#preferences.current.showTraditional ?? i18n.locale === 'zh-HK';
  }
  /** A user writing Traditional Chinese or Cantonese is answered in kind (src/lib/chat/prompt.ts). */
  get askCantonese(): boolean {
    return this.#preferences.current.askCantonese ?? i18n.locale === 'zh-HK';
  }
  /** The converter to show `text` with, once loaded; undefined means show the model's own text. */
  converterFor(text: string): HongKongConverter | undefined {
    if (!this.showTraditional || !HAN.test(text)) return undefined;
    if (!this.#converter) void this.load();
    return this.#converter;
  }
  /** True while the converter `text` needs is still loading (a streaming reply then waits for it). */
  waitsFor(text: string): boolean {
    return !this.#failed && !this.#converter && this.showTraditional && HAN.test(text);
  }

  /** Starts loading the converter early when a question in Chinese will likely get a Chinese reply. */
  prepare(question: string): void {
    if (this.showTraditional && HAN.test(question)) void this.load();
  }

  update(change: HongKongPreferences): void {
    this.#preferences.set({ ...this.#preferences.current, ...change });
  }

  reset(): void {
    this.#preferences.clear();
  }

  /** Loads the converter (once); undefined if its chunk could not be loaded. */
  load(): Promise<HongKongConverter | undefined> {
    this.#loading ??= import('../chinese/hong-kong')
      .then((module) => module.buildHongKongConverter())
      .then(
        (converter) => (this.#converter = converter),
        (cause: unknown) => {
          // Not tried again this session: replies show as the model wrote them.
          console.error('[hong-kong] the converter could not be loaded', cause);
          this.#failed = true;
          return undefined;
        },
      );
    return this.#loading;
  }

  /**
   * How finished texts are shown, for the Markdown export: converted when the setting is on (the
   * converter is loaded if needed), as the model wrote them otherwise.
   */
  async shownText(): Promise<(text: string) => string> {
    const converter = this.showTraditional ? (this.#converter ?? (await this.load())) : undefined;
    return converter ? (text) => converter.prose(text) : (text) => text;
  }
}

export const hongKong = new HongKongState();
