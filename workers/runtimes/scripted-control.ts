/**
 * The scripted runtime's test-only control channel. End-to-end tests and benchmarks
 * (tests/e2e/scripted-control.ts) store the behaviour they want in a Cache API entry of the app's
 * origin, which both the page and the worker can reach, before the model loads; the runtime reads it
 * at each load. Only the scripted runtime imports this file, so production builds leave it out with
 * the runtime, and nothing of it rides in the engine contract or the page's state.
 */
import type { EngineErrorName } from '../../src/shared/engine';

/** How the scripted runtime behaves; unset fields take its defaults. */
export interface ScriptedBehaviour {
  thinking?: string;
  answer?: string;
  /** Delay between streamed tokens. */
  tokenDelayMs?: number;
  /** Simulated download time in all. */
  loadMs?: number;
  /** Fail loading with this error. */
  failLoad?: EngineErrorName;
  /** Stream at this rate, kept by deadline (replaces `tokenDelayMs`); 0 or unset: use the delay. */
  tokensPerSecond?: number;
  /** Reply with a generated markdown text of exactly this many tokens instead of thinking/answer. */
  replyTokens?: number;
  /**
   * Cut tokens longer than this many characters (40,000 unbroken characters are one "word", but a
   * model writes them a few characters a token); also streams the whole reply, whatever the page's
   * token limit. Tests of huge replies.
   */
  tokenChars?: number;
  /** After each reply, post its tokens' emit times on a BroadcastChannel of this name (benchmarks). */
  emitLogChannel?: string;
  /** Post the turns each reply is asked for on a BroadcastChannel of this name (tests: what is sent). */
  promptChannel?: string;
}

/** Where the behaviour is stored: a cache of its own and a path on the app's origin. */
export const SCRIPTED_CONTROL_CACHE = 'harbour-scripted-control';
export const SCRIPTED_CONTROL_PATH = '/__scripted__/behaviour';

/** The behaviour the tests stored; none stored is the default behaviour. */
export async function readScriptedBehaviour(): Promise<ScriptedBehaviour> {
  const url = new URL(SCRIPTED_CONTROL_PATH, self.location.origin).href;
  const stored = await caches.match(url, { cacheName: SCRIPTED_CONTROL_CACHE });
  const parsed: unknown = await stored?.json().catch(() => undefined);
  return typeof parsed === 'object' && parsed !== null ? (parsed as ScriptedBehaviour) : {};
}
