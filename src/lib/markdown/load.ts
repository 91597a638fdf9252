// Where the page gets the markdown renderer (index.ts's chunk): fetched and evaluated once, for
// every message on the page. Lives in the page bundle; the chunk it loads does not.

export type Renderer = typeof import('./index');

let loading: Promise<Renderer> | undefined;

/** The renderer chunk, loaded on the first call. */
export function loadRenderer(): Promise<Renderer> {
  loading ??= import('./index');
  return loading;
}
