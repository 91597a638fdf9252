// A streaming reply's blocks, shown in groups of a fixed size. Each group is its own paint layer
// (Markdown.svelte), so a frame repaints only the group that changed and the browser reuses what it
// recorded for the others: painting one block-level box per block of the whole reply made every
// frame's paint grow with the reply. A full group keeps its object from one update to the next, so
// the page does not look at its blocks again either.

/** Blocks shown as one unit; `key` is its first block's. */
export interface BlockGroup<Block> {
  readonly key: string;
  readonly blocks: readonly Block[];
}

/** How many blocks make a group: few layers for a long reply, little to repaint in the last one. */
export const GROUP_SIZE = 16;

/**
 * `blocks` in runs of `size`, the last one possibly shorter. A group whose blocks are the very
 * objects of the same group in `previous` is that group, unchanged.
 */
export function groupBlocks<Block extends { readonly key: string }>(
  blocks: readonly Block[],
  previous: readonly BlockGroup<Block>[] = [],
  size = GROUP_SIZE,
): BlockGroup<Block>[] {
  const groups: BlockGroup<Block>[] = [];
  for (let start = 0; start < blocks.length; start += size) {
    const index = groups.length;
    const kept = previous[index];
    const end = Math.min(start + size, blocks.length);
    if (kept && sameBlocks(kept.blocks, blocks, start, end)) {
      groups.push(kept);
    } else {
      groups.push({ key: blocks[start].key, blocks: blocks.slice(start, end) });
    }
  }
  return groups;
}

function sameBlocks<Block>(
  kept: readonly Block[],
  blocks: readonly Block[],
  start: number,
  end: number,
): boolean {
  if (kept.length !== end - start) return false;
  for (let index = start; index < end; index++) {
    if (kept[index - start] !== blocks[index]) return false;
  }
  return true;
}
