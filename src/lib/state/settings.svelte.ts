/**
 * Generation settings, saved across reloads. The defaults are DeepSeek's advice for R1 distills:
 * temperature 0.6, top_p 0.95, and no system prompt (its text is put into the first user turn).
 */
import type { GenerateOptions } from '../../shared/engine';
import { jsonFormat, Persisted } from './persisted.svelte';

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

export class SettingsState {
  #settings = new Persisted<Settings>(
    'harbour-chat:settings',
    () => ({ ...defaultSettings }),
    jsonFormat(sanitizeSettings),
  );

  get current(): Settings {
    return this.#settings.current;
  }
  get systemPrompt(): string {
    return this.#settings.current.systemPrompt;
  }
  /** What the engine is asked for; `maxTokens` may be lowered further to fit the context window. */
  get options(): GenerateOptions {
    const { temperature, topP, maxTokens } = this.#settings.current;
    return { temperature, topP, maxTokens };
  }

  update(change: Partial<Settings>): void {
    this.#settings.set(sanitizeSettings({ ...this.#settings.current, ...change }));
  }

  reset(): void {
    this.update(defaultSettings);
  }
}
