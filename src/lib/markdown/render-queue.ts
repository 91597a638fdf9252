// Rendering work that need not happen in the task that put a conversation on screen: older messages'
// markdown, formulas, the rest of a huge reply. Each job is a small piece; the queue runs them in
// slices of a few milliseconds with a yield to the browser between slices, so no task grows long.
// Jobs whose element is on (or near) the screen go first; the rest in the order they came.
// Lives in the page bundle (no renderer imports): the jobs bring their own work.

/** Runs one piece of work; returns true when the job is done, false to be called again later. */
export type RenderJob = () => boolean;

const SLICE_MS = 12;
// Near the screen counts as on it: a reader scrolling up meets rendered messages, not plain text.
const NEAR = '100% 0px';

export class RenderQueue {
  // Each job with the element it draws into (several jobs may share one), in the order they came.
  readonly #jobs = new Map<RenderJob, Element>();
  readonly #visible = new Set<Element>();
  #observer: IntersectionObserver | undefined;
  #scheduled = false;

  /** Queues `job`, which draws into `element`; returns a function that cancels it. */
  add(element: Element, job: RenderJob): () => void {
    this.#jobs.set(job, element);
    this.#observe(element);
    this.#schedule();
    return () => this.#remove(job);
  }

  /** How many jobs are waiting (tests and benchmarks). */
  get size(): number {
    return this.#jobs.size;
  }

  #remove(job: RenderJob): void {
    const element = this.#jobs.get(job);
    if (!element || !this.#jobs.delete(job)) return;
    if ([...this.#jobs.values()].includes(element)) return;
    this.#visible.delete(element);
    this.#observer?.unobserve(element);
  }

  #observe(element: Element): void {
    if (typeof IntersectionObserver === 'undefined') return;
    this.#observer ??= new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) this.#visible.add(entry.target);
          else this.#visible.delete(entry.target);
        }
      },
      { rootMargin: NEAR },
    );
    this.#observer.observe(element);
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setTimeout(() => this.#run(), 0);
  }

  /** A job on screen; else the newest (a conversation opens at its end, where the newest are). */
  #next(): RenderJob | undefined {
    let newest: RenderJob | undefined;
    for (const [job, element] of this.#jobs) {
      if (this.#visible.has(element)) return job;
      newest = job;
    }
    return newest;
  }

  #run(): void {
    this.#scheduled = false;
    const started = performance.now();
    while (performance.now() - started < SLICE_MS) {
      const job = this.#next();
      if (!job) break;
      let done = true;
      try {
        done = job();
      } catch (error) {
        console.error('render queue: a job failed', error);
      }
      if (done) this.#remove(job);
    }
    if (this.#jobs.size > 0) this.#schedule();
  }
}

/** The page's one queue. */
export const renderQueue = new RenderQueue();
