/**
 * Streamed deltas leave the engine worker at most about once a frame, as one batch. Each crossing is
 * a comlink call: a message to the page, a reply back, a pending promise here. A runtime on wasm can
 * hand over a thousand tokens a second, and that traffic (with the page's work for each message) takes
 * the CPU from the decode itself. A delta after a quiet spell goes at once, so a slow model (a real
 * GPU at tens of tokens a second) sees no added latency. The check is made on each delta, not only on
 * a timer, because a runtime decoding synchronously between awaits never lets a timer run.
 */

/** About one frame at 60 Hz. */
export const RELAY_INTERVAL_MS = 16;

export interface RelayClock {
  now(): number;
  setTimer(callback: () => void, ms: number): () => void;
}

const realClock: RelayClock = {
  now: () => performance.now(),
  setTimer(callback, ms) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

/** Collects deltas and sends them as batches (arrays, in order), each at least `intervalMs` apart. */
export class DeltaRelay {
  #pending: string[] = [];
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #cancelTimer: (() => void) | undefined;
  #batches = 0;

  constructor(
    private readonly send: (deltas: string[]) => void,
    private readonly intervalMs = RELAY_INTERVAL_MS,
    private readonly clock: RelayClock = realClock,
  ) {}

  /** How many batches have been sent. */
  get batches(): number {
    return this.#batches;
  }

  /** Queues `delta`; sends the queue now if the last batch left at least an interval ago. */
  push(delta: string): void {
    this.#pending.push(delta);
    const wait = this.#lastSentAt + this.intervalMs - this.clock.now();
    if (wait <= 0) this.flush();
    else this.#cancelTimer ??= this.clock.setTimer(() => this.flush(), wait);
  }

  /** Sends whatever is queued now (the reply ended, failed or was stopped). */
  flush(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#lastSentAt = this.clock.now();
    this.#batches++;
    this.send(batch);
  }
}
