/**
 * Which rows of a long list of fixed-height rows to put in the page. A thousand saved chats rendered
 * at once cost the app's start 200 ms of script and 70 ms of layout (bench, history suite); only the
 * rows in view and a margin around them are rendered, and spacers keep the scroll height whole.
 * Heights are in rem, so a larger text size moves nothing out of place.
 */

/** A row of the list: a group's heading or one of its items. */
export type ListRow<G, T> =
  | { kind: 'heading'; group: G; top: number }
  | { kind: 'item'; group: G; item: T; top: number; position: number; groupSize: number };

export interface RowHeights {
  heading: number;
  item: number;
}

/** The rows of every group, each with its top (rem) and its place in its group (from 1). */
export function layoutRows<G, T>(
  groups: readonly { group: G; items: readonly T[] }[],
  heights: RowHeights,
): { rows: ListRow<G, T>[]; height: number } {
  const rows: ListRow<G, T>[] = [];
  let top = 0;
  for (const { group, items } of groups) {
    rows.push({ kind: 'heading', group, top });
    top += heights.heading;
    items.forEach((item, index) => {
      rows.push({ kind: 'item', group, item, top, position: index + 1, groupSize: items.length });
      top += heights.item;
    });
  }
  return { rows, height: top };
}

/** The first row whose bottom is below `offset` (binary search; rows are in order). */
function firstBelow<G, T>(rows: readonly ListRow<G, T>[], heights: RowHeights, offset: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const row = rows[middle];
    const bottom = row.top + (row.kind === 'heading' ? heights.heading : heights.item);
    if (bottom <= offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The slice of rows to render for a view of `viewHeight` scrolled to `scrollTop` (both rem), with
 * `margin` rem more on each side, so keyboard focus moving row by row always finds the next row there.
 */
export function visibleSlice<G, T>(
  rows: readonly ListRow<G, T>[],
  heights: RowHeights,
  scrollTop: number,
  viewHeight: number,
  margin: number,
): { start: number; end: number } {
  const start = firstBelow(rows, heights, Math.max(scrollTop - margin, 0));
  const end = Math.min(firstBelow(rows, heights, scrollTop + viewHeight + margin) + 1, rows.length);
  return { start, end: Math.max(end, start) };
}

/** Consecutive rows of one group, as one heading (when in the slice) and one list of items. */
export interface GroupSlice<G, T> {
  group: G;
  heading: boolean;
  items: Extract<ListRow<G, T>, { kind: 'item' }>[];
}

/** The slice's rows regrouped, so each group's items render as one real list. */
export function groupSlice<G, T>(rows: readonly ListRow<G, T>[]): GroupSlice<G, T>[] {
  const slices: GroupSlice<G, T>[] = [];
  for (const row of rows) {
    let last = slices.at(-1);
    if (!last || last.group !== row.group || row.kind === 'heading') {
      last = { group: row.group, heading: row.kind === 'heading', items: [] };
      slices.push(last);
    }
    if (row.kind === 'item') last.items.push(row);
  }
  return slices;
}
