/** The interface language: from the browser on first visit, then the user's choice (remembered). */
import { format, tables, type Locale, type MessageKey } from '../i18n/messages';

const STORAGE_KEY = 'harbour-chat:locale';

function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'zh-HK') return saved;
  const languages = globalThis.navigator?.languages ?? [];
  return languages.some((lang) => /^zh|^yue/i.test(lang)) ? 'zh-HK' : 'en';
}

export class LocaleState {
  #locale = $state<Locale>(initialLocale());

  get locale(): Locale {
    return this.#locale;
  }

  use(locale: Locale): void {
    this.#locale = locale;
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
    document.documentElement.lang = locale;
  }

  /** The message for `key` in the current language. */
  t = (key: MessageKey, params?: Record<string, string | number>): string =>
    format(tables[this.#locale][key], params);
}

export const i18n = new LocaleState();
