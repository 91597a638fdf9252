/**
 * Light or dark: the system's choice unless the user picks one (remembered). The choice is written
 * as `data-theme` on <html> when this module loads, before the app mounts, so the first paint already
 * has the right colours; src/app.css reads it. No inline script: the page's CSP forbids them.
 */

export type ThemeChoice = 'system' | 'light' | 'dark';

export const themeChoices: readonly ThemeChoice[] = ['system', 'light', 'dark'];

const STORAGE_KEY = 'harbour-chat:theme';

function savedChoice(): ThemeChoice {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return themeChoices.find((choice) => choice === saved) ?? 'system';
}

function apply(choice: ThemeChoice): void {
  const root = globalThis.document?.documentElement;
  if (!root) return;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

export class ThemeState {
  #choice = $state<ThemeChoice>(savedChoice());

  constructor() {
    apply(this.#choice);
  }

  get choice(): ThemeChoice {
    return this.#choice;
  }

  use(choice: ThemeChoice): void {
    this.#choice = choice;
    if (choice === 'system') globalThis.localStorage?.removeItem(STORAGE_KEY);
    else globalThis.localStorage?.setItem(STORAGE_KEY, choice);
    apply(choice);
  }
}

export const theme = new ThemeState();
