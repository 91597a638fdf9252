// A streaming reply's blocks, shown in groups. Each group is its own paint layer (Markdown.svelte),
// so a frame repaints only the group that changed and the browser reuses what it recorded for the
// others: painting one block-level box per block of the whole reply made every frame's paint grow
// with the reply. A group keeps its object while its blocks are the same, so the page does not look
// at its blocks again either.
// A group, once made, keeps its place: blocks that appear inside it (finished blocks that waited as
// plain text and are now rendered, streaming.ts) join it, and only blocks after all of those seen
// before start new groups. Cut by position instead, every group after an insertion changed, and
// the page made all their DOM again: at the end of a streamed 1 MB reply, one step put 180 ms of
// parsing into a single task.

/** Blocks shown as one unit; `key` is its first block's. */
export interface BlockGroup<Block> {
  readonly key: string;
  readonly blocks: readonly Block[];
}

/** How many new blocks make a group: few layers for a long reply, little to repaint in the last one. */
export const GROUP_SIZE = 16;

/**
 * `blocks` in groups: the groups of `previous` where their first blocks still are (each holding the
 * blocks up to the next one's first), and new blocks after all those in `previous` in runs of
 * `size`. A group whose blocks are the very objects of the one before with its key is that group.
 */
export function groupBlocks<Block extends { readonly key: string }>(
  blocks: readonly Block[],
  previous: readonly BlockGroup<Block>[] = [],
  size = GROUP_SIZE,
): BlockGroup<Block>[] {
  // Keys are source offsets (streaming.ts): another source's blocks (the reply started over) meet
  // few of the old firsts, and only where they do are its groups cut otherwise.
  const byKey = new Map(previous.map((group) => [group.key, group]));
  const seenUpTo = lastSeen(blocks, previous, byKey);
  const groups: BlockGroup<Block>[] = [];
  let start = 0;
  const close = (end: number) => {
    if (end === start) return;
    const key = blocks[start].key;
    const kept = byKey.get(key);
    groups.push(
      kept && sameBlocks(kept.blocks, blocks, start, end) ? kept : { key, blocks: blocks.slice(start, end) },
    );
    start = end;
  };
  for (let index = 1; index < blocks.length; index++) {
    if (byKey.has(blocks[index].key) || (index > seenUpTo && index - start >= size)) close(index);
  }
  close(blocks.length);
  return groups;
}

/** The index of the last of `blocks` that was in `previous` (its last group's, or a group's first). */
function lastSeen<Block extends { readonly key: string }>(
  blocks: readonly Block[],
  previous: readonly BlockGroup<Block>[],
  byFirstKey: ReadonlyMap<string, BlockGroup<Block>>,
): number {
  const last = previous.at(-1);
  if (!last) return -1;
  const lastKeys = new Set(last.blocks.map((block) => block.key));
  for (let index = blocks.length - 1; index >= 0; index--) {
    const key = blocks[index].key;
    if (lastKeys.has(key) || byFirstKey.has(key)) return index;
  }
  return -1;
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
