// Finished messages' rendered HTML, kept by source, so that a conversation opened again (or a
// message scrolled back into a list that was rebuilt) shows without rendering anything again.
// Page-side and tiny: it holds what the lazily loaded renderer produced.
import type { MarkdownBlock } from './streaming';

const LIMIT = 600;
/** Bigger sources are rendered progressively, and not kept. */
const CACHED_CHARS = 100_000;
const finished = new Map<string, readonly MarkdownBlock[]>();

const keyOf = (copyLabel: string, source: string) => `${copyLabel}\u0000${source}`;

/** The blocks rendered before for this source, if kept. */
export function cachedBlocks(copyLabel: string, source: string): readonly MarkdownBlock[] | undefined {
  return finished.get(keyOf(copyLabel, source));
}

/** Keeps a finished source's blocks (the oldest kept entry goes past the limit). */
export function keepBlocks(copyLabel: string, source: string, blocks: readonly MarkdownBlock[]): void {
  if (source.length > CACHED_CHARS) return;
  if (finished.size >= LIMIT) {
    const oldest = finished.keys().next().value;
    if (oldest !== undefined) finished.delete(oldest);
  }
  finished.set(keyOf(copyLabel, source), blocks);
}
