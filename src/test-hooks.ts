/**
 * Test builds only: the handles end-to-end tests drive below the UI (tests/e2e/app-hooks.ts). App
 * imports this module dynamically behind `VITE_TEST_MODELS`, so production builds leave the whole
 * chunk out, and no state class or the engine bridge carries a test hook. The tests use the live
 * objects on purpose: what they check is what the app itself does.
 */
import { generate } from './lib/engine/bridge';
import type { HistoryState } from './lib/state/history.svelte';

/** What a test build puts on `window.__harbourApp`. */
export interface AppHooks {
  /** The app's own history: its saves, loads and list, as the interface uses them. */
  history: HistoryState;
  /** The engine bridge's generate, with the loaded model (a reply continued where a limit cut it). */
  engine: { generate: typeof generate };
}

declare global {
  interface Window {
    __harbourApp?: AppHooks;
  }
}

/** Puts the running app's history and engine bridge where the tests reach them. */
export function registerTestHooks(history: HistoryState): void {
  window.__harbourApp = { history, engine: { generate } };
}
