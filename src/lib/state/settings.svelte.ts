/**
 * Generation settings, saved across reloads. The defaults are DeepSeek's advice for R1 distills:
 * temperature 0.6, top_p 0.95, and no system prompt (its text is put into the first user turn).
 */
import type { GenerateOptions } from '../../shared/engine';

const STORAGE_KEY = 'harbour-chat:settings';

export interface Settings {
  temperature: number;
  topP: number;
  maxTokens: number;
  systemPrompt: string;
}

export const defaultSettings: Settings = { temperature: 0.6, topP: 0.95, maxTokens: 2048, systemPrompt: '' };

const limits = {
  temperature: [0, 2],
  topP: [0.05, 1],
  maxTokens: [16, 32768],
} as const;

const clamp = (value: number, [min, max]: readonly [number, number]) => Math.min(Math.max(value, min), max);

/** Keeps only valid values; anything else falls back to the default. */
export function sanitizeSettings(raw: unknown): Settings {
  const input =
    typeof raw === 'object' && raw !== null ? (raw as Partial<Record<keyof Settings, unknown>>) : {};
  const number = (key: 'temperature' | 'topP' | 'maxTokens') => {
    const value = input[key];
    return typeof value === 'number' && Number.isFinite(value)
      ? clamp(value, limits[key])
      : defaultSettings[key];
  };
  return {
    temperature: number('temperature'),
    topP: number('topP'),
    maxTokens: Math.round(number('maxTokens')),
    systemPrompt: typeof input.systemPrompt === 'string' ? input.systemPrompt.slice(0, 4000) : '',
  };
}

function readSaved(): Settings {
  try {
    return sanitizeSettings(JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? '{}'));
  } catch {
    return { ...defaultSettings };
  }
}

export class SettingsState {
  #settings = $state<Settings>(readSaved());

  get current(): Settings {
    return this.#settings;
  }
  get systemPrompt(): string {
    return this.#settings.systemPrompt;
  }
  /** What the engine is asked for; `maxTokens` may be lowered further to fit the context window. */
  get options(): GenerateOptions {
    const { temperature, topP, maxTokens } = this.#settings;
    return { temperature, topP, maxTokens };
  }

  update(change: Partial<Settings>): void {
    this.#settings = sanitizeSettings({ ...this.#settings, ...change });
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(this.#settings));
  }

  reset(): void {
    this.update(defaultSettings);
  }
}
