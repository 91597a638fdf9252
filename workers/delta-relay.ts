/**
 * Streamed deltas leave the engine worker at most once per page update (less often when the engine
 * decodes on the CPU of a small device: relayIntervalMs), as one batch on a port of their own. Each
 * batch is a message the page's main thread handles as a task of its own, and the page applies text
 * at most every 50 ms anyway (src/lib/chat/batcher.ts): more often would only wake it for nothing. A
 * runtime on wasm can hand over a thousand tokens a second, and that traffic (with the page's work
 * for each message) takes the CPU from the decode itself. A delta after a quiet spell goes at once,
 * so a slow model (a real GPU at tens of tokens a second) sees no added latency on its first words.
 * The check is made on each delta, not only on a timer, because a runtime decoding synchronously
 * between awaits never lets a timer run.
 */

/** The page's shortest time between two updates (MIN_INTERVAL_MS in src/lib/chat/batcher.ts). */
export const RELAY_INTERVAL_MS = 50;
/**
 * When the engine decodes on the CPU of a device with few cores, every update the page makes (a
 * message, a render, a paint, a composite) is taken from the decode itself: batches go less often.
 * Still under the ~100 ms a reader takes for "at once".
 */
export const CPU_RELAY_INTERVAL_MS = 100;
/** Up to this many logical cores, the engine on the CPU and the page share too few of them. */
export const FEW_CORES = 4;

/** How often batches leave: `onCpu` when the runtime decodes on the CPU (wasm), `cores` as reported. */
export function relayIntervalMs({ onCpu, cores }: { onCpu: boolean; cores: number | undefined }): number {
  return onCpu && (cores ?? 1) <= FEW_CORES ? CPU_RELAY_INTERVAL_MS : RELAY_INTERVAL_MS;
}

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
