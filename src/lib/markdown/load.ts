// Where the page gets the markdown renderer (index.ts's chunk): fetched and evaluated once, for
// every message on the page, and warmed up at the next idle moment (warm-up.ts). Lives in the page
// bundle; the chunk it loads does not.
import { whenIdle } from '../after-paint';

export type Renderer = typeof import('./index');

let loading: Promise<Renderer> | undefined;
/** How long a warm-up step waits for an idle moment before it runs anyway. */
const WARM_UP_WAIT_MS = 5_000;

/** The renderer chunk, loaded on the first call. */
export function loadRenderer(): Promise<Renderer> {
  if (!loading) {
    loading = import('./index');
    void loading.then((renderer) => warmUpWhenIdle(renderer, 0));
  }
  return loading;
}

/** The renderer's warm-up samples, one per idle moment (none while the page is busy, for a while). */
function warmUpWhenIdle(renderer: Renderer, step: number): void {
  if (step >= renderer.WARM_UP_STEPS) return;
  whenIdle(() => {
    renderer.warmUp(step);
    warmUpWhenIdle(renderer, step + 1);
  }, WARM_UP_WAIT_MS);
}
