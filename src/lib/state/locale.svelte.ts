/**
 * The interface language: from the browser on first visit, then the user's choice (remembered).
 * <html lang> follows it from the moment this module loads, so screen readers pick the right voice
 * and `:lang(zh-HK)` in app.css picks Hong Kong fonts before the first paint.
 */
import { format, tables, type Locale, type MessageKey } from '../i18n/messages';
import { oneOf, Persisted } from './persisted.svelte';

/** Cantonese and every Chinese variant get the Hong Kong edition; anything else gets English. */
export function localeFor(languages: readonly string[]): Locale {
  return languages.some((lang) => /^(zh|yue)\b/i.test(lang)) ? 'zh-HK' : 'en';
}

function applyLang(locale: Locale): void {
  const root = globalThis.document?.documentElement;
  if (root) root.lang = locale;
}

export class LocaleState {
  #locale = new Persisted<Locale>(
    'harbour-chat:locale',
    () => localeFor(globalThis.navigator?.languages ?? []),
    oneOf<Locale>(['en', 'zh-HK']),
    applyLang,
  );

  get locale(): Locale {
    return this.#locale.current;
  }

  use(locale: Locale): void {
    this.#locale.set(locale);
  }

  /** The message for `key` in the current language. */
  t = (key: MessageKey, params?: Record<string, string | number>): string =>
    format(tables[this.#locale.current][key], params);

  /** A number written the way the current language writes it. */
  number = (value: number, options?: Intl.NumberFormatOptions): string =>
    value.toLocaleString(this.#locale.current, options);
}

export const i18n = new LocaleState();
