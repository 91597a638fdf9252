/**
 * Streamed text is applied to the page in batches, at most one per frame and at least
 * MIN_INTERVAL_MS apart. A model can hand over hundreds of tokens a second; each update re-renders
 * the reply's open block and lays out and paints the message, and that work, repeated every frame,
 * kept the main thread busy (and took the CPU from the engine). Twenty updates a second still read as
 * a flowing text. Batches are also sent on a short timer, because a hidden tab gets no animation
 * frames.
 */

export interface FrameScheduler {
  /** Runs `callback` at the first frame at least `delayMs` from now; returns a function that cancels it. */
  request(callback: () => void, delayMs: number): () => void;
  now(): number;
}

const BACKSTOP_MS = 100;
/** The shortest time between two updates of the page. */
export const MIN_INTERVAL_MS = 50;

/** Schedules on an animation frame after the delay, or BACKSTOP_MS later, whichever comes first. */
export const browserFrames: FrameScheduler = {
  request(callback, delayMs) {
    let frame = 0;
    const nextFrame = () => (frame = requestAnimationFrame(callback));
    const wait = delayMs > 0 ? setTimeout(nextFrame, delayMs) : (nextFrame(), undefined);
    const backstop = setTimeout(callback, delayMs + BACKSTOP_MS);
    return () => {
      clearTimeout(wait);
      cancelAnimationFrame(frame);
      clearTimeout(backstop);
    };
  },
  now: () => performance.now(),
};

export class DeltaBatcher {
  #pending = '';
  #cancel: (() => void) | undefined;
  #appliedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly apply: (text: string) => void,
    private readonly scheduler: FrameScheduler = browserFrames,
    private readonly minIntervalMs = MIN_INTERVAL_MS,
  ) {}

  /** Queues `text`; it reaches `apply` with everything else queued, at the next update. */
  push(text: string): void {
    this.#pending += text;
    this.#cancel ??= this.scheduler.request(
      () => this.flush(),
      Math.max(0, this.#appliedAt + this.minIntervalMs - this.scheduler.now()),
    );
  }

  /** Applies whatever is queued now. */
  flush(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    if (!this.#pending) return;
    const text = this.#pending;
    this.#pending = '';
    this.#appliedAt = this.scheduler.now();
    this.apply(text);
  }
}
