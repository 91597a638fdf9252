import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jsonFormat, oneOf, Persisted } from '../../src/lib/state/persisted.svelte';

/** A localStorage for Node, optionally one that refuses every write (a full quota). */
function fakeStorage(refuse = false): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => {
      if (refuse) throw new DOMException('full', 'QuotaExceededError');
      items.set(key, value);
    },
  };
}

const themes = ['system', 'light', 'dark'] as const;

describe('Persisted', () => {
  beforeEach(() => vi.stubGlobal('localStorage', fakeStorage()));
  afterEach(() => vi.unstubAllGlobals());

  it('reads what was saved, and saves each change', () => {
    localStorage.setItem('k', 'dark');
    const theme = new Persisted('k', () => 'system', oneOf(themes, 'system'));
    expect(theme.current).toBe('dark');
    theme.set('light');
    expect(localStorage.getItem('k')).toBe('light');
    expect(new Persisted('k', () => 'system', oneOf(themes, 'system')).current).toBe('light');
  });

  it('gives the default for a value it cannot vouch for, and saves nothing for the unsaved value', () => {
    localStorage.setItem('k', 'purple');
    const theme = new Persisted('k', () => 'system', oneOf(themes, 'system'));
    expect(theme.current).toBe('system');
    theme.set('system');
    expect(localStorage.getItem('k')).toBeNull();
  });

  it('validates JSON, and broken JSON gives the default', () => {
    const count = jsonFormat((raw) => (typeof raw === 'number' && raw >= 0 ? raw : undefined));
    localStorage.setItem('n', '{"not": "a number"');
    expect(new Persisted('n', () => 7, count).current).toBe(7);
    localStorage.setItem('n', '-3');
    expect(new Persisted('n', () => 7, count).current).toBe(7);
    localStorage.setItem('n', '12');
    expect(new Persisted('n', () => 7, count).current).toBe(12);
  });

  it('clear() returns to the default and forgets the saved value', () => {
    localStorage.setItem('k', 'dark');
    const theme = new Persisted('k', () => 'system', oneOf(themes, 'system'));
    theme.clear();
    expect(theme.current).toBe('system');
    expect(localStorage.getItem('k')).toBeNull();
  });

  it('applies the value to the page at once and at every change', () => {
    localStorage.setItem('k', 'dark');
    const applied: string[] = [];
    const theme = new Persisted(
      'k',
      () => 'system',
      oneOf(themes, 'system'),
      (value) => applied.push(value),
    );
    theme.set('light');
    theme.clear();
    expect(applied).toEqual(['dark', 'light', 'system']);
  });

  it('keeps a change for this page when the browser refuses to save it', () => {
    vi.stubGlobal('localStorage', fakeStorage(true));
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const theme = new Persisted('k', () => 'system', oneOf(themes, 'system'));
    theme.set('dark');
    expect(theme.current).toBe('dark');
  });
});
