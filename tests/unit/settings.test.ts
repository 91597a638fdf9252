import { describe, expect, it } from 'vitest';
import { defaultSettings, sanitizeSettings } from '../../src/lib/state/settings.svelte';

describe('sanitizeSettings', () => {
  it('defaults to DeepSeek’s advice for R1 distills', () => {
    expect(sanitizeSettings(undefined)).toEqual(defaultSettings);
    expect(defaultSettings).toMatchObject({ temperature: 0.6, topP: 0.95, systemPrompt: '' });
  });

  it('clamps numbers and drops values of the wrong type', () => {
    expect(sanitizeSettings({ temperature: 9, topP: -1, maxTokens: 3.6e9, systemPrompt: 42 })).toEqual({
      temperature: 2,
      topP: 0.05,
      maxTokens: 32768,
      systemPrompt: '',
    });
    expect(sanitizeSettings({ temperature: 'hot', maxTokens: Number.NaN })).toMatchObject({
      temperature: 0.6,
      maxTokens: defaultSettings.maxTokens,
    });
  });
});
