/** Number formatting for sizes, speeds and durations, in the user's locale. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number, locale = 'en'): string {
  let value = Math.max(bytes, 0);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 100 || unit === 0 ? 0 : 1;
  return `${value.toLocaleString(locale, { maximumFractionDigits: digits })} ${UNITS[unit]}`;
}

export function formatMegabytes(megabytes: number, locale = 'en'): string {
  return formatBytes(megabytes * 1024 * 1024, locale);
}

/** "1 hr 5 min", "3 min 20 sec", "12 sec" — or "1 小時 5 分鐘" and so on, as the locale writes units. */
export function formatDuration(seconds: number, locale = 'en'): string {
  const total = Math.max(Math.round(seconds), 0);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  const unit = (value: number, name: 'hour' | 'minute' | 'second') =>
    value.toLocaleString(locale, { style: 'unit', unit: name, unitDisplay: 'short' });
  if (hours > 0) return `${unit(hours, 'hour')} ${unit(minutes, 'minute')}`;
  if (minutes > 0)
    return secs > 0 ? `${unit(minutes, 'minute')} ${unit(secs, 'second')}` : unit(minutes, 'minute');
  return unit(secs, 'second');
}
