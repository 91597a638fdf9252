/**
 * Waiting for a frame: work that the frame about to be painted does not need (opening the newest
 * chat, checking which models are downloaded, drawing a reply's end after its last words) waits for
 * that frame, so it cannot hold it back.
 */

/** Resolves after the next frame is painted; at once in a hidden tab, which paints none. */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (document.visibilityState === 'hidden') resolve();
    else requestAnimationFrame(() => setTimeout(resolve));
  });
}

/** Runs `job` when the page is idle (or `timeoutMs` later, if it never is); returns its cancel. */
export function whenIdle(job: () => void, timeoutMs = 500): () => void {
  if (typeof requestIdleCallback !== 'function') {
    const timer = setTimeout(job, 50); // Safari has no idle callbacks
    return () => clearTimeout(timer);
  }
  const handle = requestIdleCallback(job, { timeout: timeoutMs });
  return () => cancelIdleCallback(handle);
}

/** Resolves after the next frame, once the page is idle (or `timeoutMs` later, if it never is). */
export async function afterPaintIdle(timeoutMs = 500): Promise<void> {
  await afterPaint();
  await new Promise<void>((resolve) => whenIdle(resolve, timeoutMs));
}
