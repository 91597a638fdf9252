/** The conversation list's date groups, by the user's local calendar days (not 24-hour spans). */

export type DateGroup = 'today' | 'yesterday' | 'week' | 'older';

function daysBefore(midnight: Date, days: number): number {
  const day = new Date(midnight);
  day.setDate(day.getDate() - days);
  return day.getTime();
}

/** Which group a time falls in, seen from `now`; a time in the future counts as today. */
export function dateGroup(time: number, now: number = Date.now()): DateGroup {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  if (time >= midnight.getTime()) return 'today';
  if (time >= daysBefore(midnight, 1)) return 'yesterday';
  if (time >= daysBefore(midnight, 7)) return 'week';
  return 'older';
}

/** Splits a newest-first list into consecutive date groups, keeping its order. */
export function groupByDate<T extends { updatedAt: number }>(
  items: readonly T[],
  now: number = Date.now(),
): { group: DateGroup; items: T[] }[] {
  const groups: { group: DateGroup; items: T[] }[] = [];
  for (const item of items) {
    const group = dateGroup(item.updatedAt, now);
    const last = groups.at(-1);
    if (last?.group === group) last.items.push(item);
    else groups.push({ group, items: [item] });
  }
  return groups;
}
