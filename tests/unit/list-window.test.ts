import { describe, expect, it } from 'vitest';
import { groupSlice, layoutRows, visibleSlice } from '../../src/lib/list-window';

const heights = { heading: 2, item: 3 };
const groups = [
  { group: 'today', items: ['a', 'b'] },
  { group: 'older', items: Array.from({ length: 100 }, (_, i) => `o${i}`) },
];

describe('list window', () => {
  it('lays rows out with their tops and their place in their group', () => {
    const { rows, height } = layoutRows(groups, heights);
    expect(rows).toHaveLength(104);
    expect(height).toBe(2 + 2 * 3 + 2 + 100 * 3);
    expect(rows[0]).toEqual({ kind: 'heading', group: 'today', top: 0 });
    expect(rows[2]).toEqual({ kind: 'item', group: 'today', item: 'b', top: 5, position: 2, groupSize: 2 });
    expect(rows[3]).toEqual({ kind: 'heading', group: 'older', top: 8 });
    expect(rows[103]).toMatchObject({ item: 'o99', top: 307, position: 100, groupSize: 100 });
  });

  it('slices the rows in view plus a margin on each side', () => {
    const { rows } = layoutRows(groups, heights);
    // At the top: rows down to the one under 30 + 6 (rows[12], 34 to 37).
    expect(visibleSlice(rows, heights, 0, 30, 6)).toEqual({ start: 0, end: 13 });
    // Scrolled to 100: from the row under 94 to the row under 136.
    const { start, end } = visibleSlice(rows, heights, 100, 30, 6);
    expect(rows[start].top).toBeLessThanOrEqual(94);
    expect(rows[start].top + heights.item).toBeGreaterThan(94);
    expect(rows[end - 1].top).toBeLessThanOrEqual(136);
    expect(rows[end - 1].top + heights.item).toBeGreaterThan(136);
    // Past the end: the last rows, never an empty or reversed slice.
    expect(visibleSlice(rows, heights, 400, 30, 6)).toEqual({ start: 104, end: 104 });
    expect(visibleSlice(rows, heights, 290, 30, 6).end).toBe(104);
  });

  it('regroups a slice so each group is one list, with its heading only when in the slice', () => {
    const { rows } = layoutRows(groups, heights);
    const slices = groupSlice(rows.slice(2, 6));
    expect(slices.map((s) => [s.group, s.heading, s.items.map((row) => row.item)])).toEqual([
      ['today', false, ['b']],
      ['older', true, ['o0', 'o1']],
    ]);
    expect(groupSlice([])).toEqual([]);
  });
});
