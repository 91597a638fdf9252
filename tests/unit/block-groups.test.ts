import { describe, expect, it } from 'vitest';
import { groupBlocks } from '../../src/lib/markdown/block-groups';

const block = (key: number) => ({ key: String(key), html: `<p>${key}</p>` });

describe('block groups', () => {
  it('cuts the blocks into runs of the size, the last one shorter, keyed by their first block', () => {
    const blocks = Array.from({ length: 7 }, (_, index) => block(index));
    const groups = groupBlocks(blocks, [], 3);
    expect(groups.map((group) => group.key)).toEqual(['0', '3', '6']);
    expect(groups.map((group) => group.blocks.length)).toEqual([3, 3, 1]);
    expect(groups.flatMap((group) => group.blocks)).toEqual(blocks);
    expect(groupBlocks([], [], 3)).toEqual([]);
  });

  it('keeps a group whose blocks are the same objects, and replaces one whose blocks changed', () => {
    const blocks = Array.from({ length: 5 }, (_, index) => block(index));
    const before = groupBlocks(blocks, [], 3);
    // The open block (the last) was rendered again; a sixth block appeared.
    const after = groupBlocks([...blocks.slice(0, 4), block(4), block(5)], before, 3);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1].blocks.map((b) => b.key)).toEqual(['3', '4', '5']);
    // Nothing changed: every group is the one before.
    const again = groupBlocks(
      after.flatMap((group) => group.blocks),
      after,
      3,
    );
    expect(again[0]).toBe(after[0]);
    expect(again[1]).toBe(after[1]);
  });

  it('does not keep a group from another source (the reply started over)', () => {
    const before = groupBlocks([block(0), block(1)], [], 3);
    const other = groupBlocks([block(0), block(1)], before, 3);
    expect(other[0]).not.toBe(before[0]);
  });
});
