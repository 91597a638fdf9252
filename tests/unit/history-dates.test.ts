import { describe, expect, it } from 'vitest';
import { dateGroup, groupByDate } from '../../src/lib/dates';

// Local time, as the list uses it: 2025-03-10 15:00.
const now = new Date(2025, 2, 10, 15, 0).getTime();
const at = (day: number, hour = 12) => new Date(2025, 2, day, hour, 0).getTime();

describe('date groups', () => {
  it('go by calendar day, not by 24-hour spans', () => {
    expect(dateGroup(at(10, 0), now)).toBe('today');
    expect(dateGroup(at(9, 23), now)).toBe('yesterday');
    expect(dateGroup(at(9, 0), now)).toBe('yesterday');
    expect(dateGroup(at(8, 23), now)).toBe('week');
    expect(dateGroup(at(3, 0), now)).toBe('week');
    expect(dateGroup(at(2, 23), now)).toBe('older');
    expect(dateGroup(at(11), now)).toBe('today');
  });

  it('split a newest-first list into groups in order', () => {
    const items = [at(10), at(10, 1), at(9), at(5), at(1), at(1, 1)].map((updatedAt, i) => ({
      updatedAt,
      i,
    }));
    expect(groupByDate(items, now).map((g) => [g.group, g.items.map((x) => x.i)])).toEqual([
      ['today', [0, 1]],
      ['yesterday', [2]],
      ['week', [3]],
      ['older', [4, 5]],
    ]);
    expect(groupByDate([], now)).toEqual([]);
  });
});
