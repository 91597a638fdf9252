/**
 * Streamed text is applied to the page in batches, at most one per frame and at least
 * MIN_INTERVAL_MS apart. A model can hand over hundreds of tokens a second; each update re-renders
 * the reply's open block and styles, lays out and paints the message, and that work, repeated every
 * frame, kept the main thread busy (and took the CPU from the engine). Twenty updates a second still
 * read as a flowing text. Batches are also sent on a short timer, because a hidden tab gets no
 * animation frames.
 *
 * What an update costs is not known in advance: it grows with the reply, and a phone's core is
 * several times slower than a desktop's. So each update is timed, from the frame that applies it to
 * the first task after that frame has rendered (script, style, layout and paint of the change), and
 * the next one waits until that cost is no more than PAGE_SHARE of the time between them. A cheap
 * update keeps the 50 ms pace; an expensive one (a long reply on a slow phone, a CPU the engine is
 * also using) spaces the next out, up to MAX_INTERVAL_MS. The last text always goes at once (flush).
 */

export interface FrameScheduler {
  /** Runs `callback` at the first frame at least `delayMs` from now; returns a function that cancels it. */
  request(callback: () => void, delayMs: number): () => void;
  /** Runs `callback` in the first task after the current frame has rendered (style, layout, paint). */
  afterRender(callback: () => void): void;
  now(): number;
}

const BACKSTOP_MS = 100;
/** The shortest time between two updates of the page. */
export const MIN_INTERVAL_MS = 50;
/** The longest: text still moves several times a second however slow the device. */
export const MAX_INTERVAL_MS = 300;
/** The share of the main thread the updates of a streaming reply may take. */
export const PAGE_SHARE = 0.1;
/** How much of the last update's cost weighs against those before (smooths one slow frame). */
const COST_WEIGHT = 0.5;

/** The wait after an update that cost `costMs` (of script and rendering), so that they take PAGE_SHARE. */
export function intervalAfter(costMs: number): number {
  const spaced = (costMs * (1 - PAGE_SHARE)) / PAGE_SHARE;
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, spaced));
}

/** Schedules on an animation frame after the delay, or BACKSTOP_MS later, whichever comes first. */
export function browserFrames(): FrameScheduler {
  let rendered: (() => void) | undefined;
  // A message posted during a frame is handled in a task after that frame's rendering.
  const channel = typeof MessageChannel === 'function' ? new MessageChannel() : undefined;
  if (channel) {
    channel.port1.onmessage = () => {
      const callback = rendered;
      rendered = undefined;
      callback?.();
    };
  }
  return {
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
    afterRender(callback) {
      if (!channel) return;
      rendered = callback;
      channel.port2.postMessage(null);
    },
    now: () => performance.now(),
  };
}

export class DeltaBatcher {
  #pending = '';
  #cancel: (() => void) | undefined;
  #appliedAt = Number.NEGATIVE_INFINITY;
  #costMs: number | undefined;
  #intervalMs: number;

  constructor(
    private readonly apply: (text: string) => void,
    private readonly scheduler: FrameScheduler = browserFrames(),
    private readonly minIntervalMs = MIN_INTERVAL_MS,
  ) {
    this.#intervalMs = minIntervalMs;
  }

  /** The wait between updates now (it follows what they cost). */
  get intervalMs(): number {
    return this.#intervalMs;
  }

  /** Queues `text`; it reaches `apply` with everything else queued, at the next update. */
  push(text: string): void {
    this.#pending += text;
    this.#cancel ??= this.scheduler.request(
      () => this.#update(),
      Math.max(0, this.#appliedAt + this.#intervalMs - this.scheduler.now()),
    );
  }

  /** Applies whatever is queued now (the reply ended, failed or was stopped). */
  flush(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    if (!this.#pending) return;
    const text = this.#pending;
    this.#pending = '';
    this.#appliedAt = this.scheduler.now();
    this.apply(text);
  }

  /** A scheduled update: applies the queue and times it, with the rendering it causes. */
  #update(): void {
    this.flush();
    const started = this.#appliedAt;
    this.scheduler.afterRender(() => {
      const cost = this.scheduler.now() - started;
      this.#costMs =
        this.#costMs === undefined ? cost : COST_WEIGHT * cost + (1 - COST_WEIGHT) * this.#costMs;
      this.#intervalMs = Math.max(this.minIntervalMs, intervalAfter(this.#costMs));
    });
  }
}
