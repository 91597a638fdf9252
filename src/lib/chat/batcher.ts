/**
 * Streamed text is applied to the page at most once per frame. A model can hand over hundreds of
 * tokens a second; re-rendering and laying out the reply for each one keeps the main thread busy
 * and makes the screen fall behind the model. Batches are also sent on a short timer, because a
 * hidden tab gets no animation frames.
 */

export interface FrameScheduler {
  request(callback: () => void): () => void;
}

const BACKSTOP_MS = 100;

/** Schedules on the next animation frame, or after BACKSTOP_MS, whichever comes first. */
export const browserFrames: FrameScheduler = {
  request(callback) {
    const frame = requestAnimationFrame(callback);
    const timer = setTimeout(callback, BACKSTOP_MS);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  },
};

export class DeltaBatcher {
  #pending = '';
  #cancel: (() => void) | undefined;

  constructor(
    private readonly apply: (text: string) => void,
    private readonly scheduler: FrameScheduler = browserFrames,
  ) {}

  /** Queues `text`; it reaches `apply` with everything else queued before the next frame. */
  push(text: string): void {
    this.#pending += text;
    this.#cancel ??= this.scheduler.request(() => this.flush());
  }

  /** Applies whatever is queued now. */
  flush(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    if (!this.#pending) return;
    const text = this.#pending;
    this.#pending = '';
    this.apply(text);
  }
}
