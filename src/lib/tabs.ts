/**
 * How the app's tabs coordinate. A BroadcastChannel says "this conversation changed" and carries ids
 * only: each tab re-reads IndexedDB, which stays the one source of truth. Web Locks mark work other
 * tabs must know about — the engine (one tab runs a model at a time) and each reply being streamed,
 * so another tab can tell a live reply from one cut short by a closed or crashed tab (a lock dies
 * with its tab). Where an API is missing, the app behaves as the only tab.
 */
import { readChange } from './storage/validate';

export type HistoryChange =
  { kind: 'saved'; id: string } | { kind: 'deleted'; id: string } | { kind: 'many' };

const CHANNEL_NAME = 'harbour-chat-history';

/** Tells other tabs about history changes and hears theirs (never its own). */
export class HistoryChannel {
  #channel: BroadcastChannel | undefined;

  constructor(onChange: (change: HistoryChange) => void) {
    if (typeof BroadcastChannel === 'undefined') return;
    this.#channel = new BroadcastChannel(CHANNEL_NAME);
    // Any page of this origin can post here: only a well-formed change is passed on.
    this.#channel.onmessage = (event: MessageEvent<unknown>) => {
      const change = readChange(event.data);
      if (change) onChange(change);
    };
  }

  post(change: HistoryChange): void {
    this.#channel?.postMessage(change);
  }

  close(): void {
    this.#channel?.close();
    this.#channel = undefined;
  }
}

/** Ends a held lock. */
export type Release = () => void;

function lockManager(): LockManager | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.locks;
}

/**
 * Takes the Web Lock `name` and holds it until the returned function is called (or the tab goes).
 * With `ifAvailable`, resolves with undefined at once when another tab holds it; otherwise waits,
 * until `signal` aborts (then rejects with an AbortError).
 */
export function holdLock(
  name: string,
  options: { ifAvailable?: boolean; signal?: AbortSignal } = {},
): Promise<Release | undefined> {
  const locks = lockManager();
  if (!locks) return Promise.resolve(() => undefined);
  // The API refuses ifAvailable together with signal; pass only what was asked for.
  const request: LockOptions = options.ifAvailable ? { ifAvailable: true } : { signal: options.signal };
  return new Promise((resolve, reject) => {
    locks
      .request(name, request, (lock) => {
        if (!lock) {
          resolve(undefined);
          return undefined;
        }
        return new Promise<void>((release) => resolve(() => release()));
      })
      .catch(reject);
  });
}

/** Names of the Web Locks any tab of this site holds now. */
export async function heldLocks(): Promise<Set<string>> {
  const locks = lockManager();
  if (!locks) return new Set();
  const snapshot = await locks.query();
  return new Set((snapshot.held ?? []).map((lock) => lock.name ?? ''));
}
