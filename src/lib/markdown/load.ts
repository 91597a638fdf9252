// Where the page gets the markdown renderer (index.ts's chunk): fetched and evaluated once, for
// every message on the page, and warmed up at the next idle moment (warm-up.ts). Lives in the page
// bundle; the chunk it loads does not.
import { whenIdle } from '../after-paint';

export type Renderer = typeof import('./index');

let loading: Promise<Renderer> | undefined;

/** The renderer chunk, loaded on the first call. */
export function loadRenderer(): Promise<Renderer> {
  if (!loading) {
    loading = import('./index');
    void loading.then((renderer) => whenIdle(() => renderer.warmUp()));
  }
  return loading;
}
