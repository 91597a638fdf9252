/**
 * Light or dark: the system's choice unless the user picks one (remembered). The choice is written
 * as `data-theme` on <html> when this module loads, before the app mounts, so the first paint already
 * has the right colours; src/app.css reads it. No inline script: the page's CSP forbids them.
 */
import { oneOf, Persisted } from './persisted.svelte';

export type ThemeChoice = 'system' | 'light' | 'dark';

export const themeChoices: readonly ThemeChoice[] = ['system', 'light', 'dark'];

function apply(choice: ThemeChoice): void {
  const root = globalThis.document?.documentElement;
  if (!root) return;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

export class ThemeState {
  // "system" is the absence of a choice: nothing is saved for it.
  #choice = new Persisted<ThemeChoice>(
    'harbour-chat:theme',
    () => 'system',
    oneOf(themeChoices, 'system'),
    apply,
  );

  get choice(): ThemeChoice {
    return this.#choice.current;
  }

  use(choice: ThemeChoice): void {
    this.#choice.set(choice);
  }
}

export const theme = new ThemeState();
