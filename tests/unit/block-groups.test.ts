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

describe('block groups keep their places', () => {
  const keys = (groups: { blocks: readonly { key: string }[] }[]) =>
    groups.map((group) => group.blocks.map((b) => b.key).join(','));

  it('puts blocks that appear inside a group into it, and leaves every other group as it was', () => {
    // Block 3 waited as plain text; it is rendered as three blocks (3, 3.1, 3.2).
    const blocks = Array.from({ length: 10 }, (_, index) => block(index));
    const before = groupBlocks(blocks, [], 3);
    expect(keys(before)).toEqual(['0,1,2', '3,4,5', '6,7,8', '9']);
    const inserted = [
      ...blocks.slice(0, 4),
      { key: '3.1', html: '' },
      { key: '3.2', html: '' },
      ...blocks.slice(4),
    ];
    const after = groupBlocks(inserted, before, 3);
    expect(keys(after)).toEqual(['0,1,2', '3,3.1,3.2,4,5', '6,7,8', '9']);
    expect(after[0]).toBe(before[0]);
    expect(after[2]).toBe(before[2]);
    expect(after[3]).toBe(before[3]);
    expect(after.flatMap((group) => group.blocks)).toEqual(inserted);
  });

  it('fills the last group and cuts new blocks after it in runs of the size', () => {
    const blocks = Array.from({ length: 4 }, (_, index) => block(index));
    const before = groupBlocks(blocks, [], 3);
    const more = [...blocks, ...Array.from({ length: 6 }, (_, index) => block(4 + index))];
    expect(keys(groupBlocks(more, before, 3))).toEqual(['0,1,2', '3,4,5', '6,7,8', '9']);
    // A group that grew past the size by an insertion is not cut: its blocks keep their DOM.
    const grown = groupBlocks([block(0), { key: '0.5', html: '' }, ...more.slice(1)], before, 3);
    expect(keys(grown)).toEqual(['0,0.5,1,2', '3,4,5', '6,7,8', '9']);
  });

  it('joins a group whose first block is gone to the one before', () => {
    const blocks = Array.from({ length: 6 }, (_, index) => block(index));
    const before = groupBlocks(blocks, [], 3);
    const without = blocks.filter((b) => b.key !== '3');
    expect(keys(groupBlocks(without, before, 3))).toEqual(['0,1,2,4,5']);
  });
});
