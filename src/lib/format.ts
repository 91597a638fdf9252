/**
 * Number formatting for sizes, speeds and durations, in the user's language. The figures are written
 * here rather than by Intl: a page's first Intl number format starts ICU's number formatting, 35–150 ms
 * of main-thread time measured in Chromium here (once per page), and the model panel shows sizes and
 * a time estimate on the first screen. tests/unit/format.test.ts checks every output against Intl's.
 */
import { format, tables, type Locale } from './i18n/messages';

/** How each language writes a number (both of ours: 1,234.5 in Latin digits, as Intl does). */
const SEPARATORS: Record<Locale, { group: string; decimal: string }> = {
  en: { group: ',', decimal: '.' },
  'zh-HK': { group: ',', decimal: '.' },
};

/**
 * `value` rounded to `digits` decimals the way Intl rounds: half away from zero on its shortest
 * decimal form (9.95 → "10.0", where toFixed's exact binary 9.9499… gives "9.9"). Non-negative.
 */
function roundedDigits(value: number, digits: number): { whole: string; fraction: string } {
  const shortest = String(value);
  // Exponent forms (below 1e-6, from 1e21) are far outside what is shown here.
  if (shortest.includes('e')) {
    const [whole = '0', fraction = ''] = value.toFixed(digits).split('.');
    return { whole, fraction };
  }
  const [whole = '0', fraction = ''] = shortest.split('.');
  if (fraction.length <= digits) return { whole, fraction };
  const kept = whole + fraction.slice(0, digits);
  const up = (fraction[digits] ?? '0') >= '5';
  const rounded = (up ? BigInt(kept) + 1n : BigInt(kept)).toString().padStart(kept.length, '0');
  const cut = rounded.length - digits;
  return { whole: rounded.slice(0, cut) || '0', fraction: rounded.slice(cut) };
}

/** `value` (not negative) with at most `digits` decimals, trailing zeros dropped, thousands grouped. */
export function formatNumber(value: number, locale: Locale = 'en', digits = 0): string {
  const { group, decimal } = SEPARATORS[locale];
  const { whole, fraction } = roundedDigits(value, digits);
  const decimals = fraction.replace(/0+$/, '');
  return whole.replace(/\B(?=(\d{3})+$)/g, group) + (decimals ? decimal + decimals : '');
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number, locale: Locale = 'en'): string {
  let value = Math.max(bytes, 0);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 100 || unit === 0 ? 0 : 1;
  return `${formatNumber(value, locale, digits)} ${UNITS[unit]}`;
}

export function formatMegabytes(megabytes: number, locale: Locale = 'en'): string {
  return formatBytes(megabytes * 1024 * 1024, locale);
}

/** "1 hr 5 min", "3 min 20 sec", "12 sec" — or "1 小時 5 分鐘" and so on (Intl's short units). */
export function formatDuration(seconds: number, locale: Locale = 'en'): string {
  const total = Math.max(Math.round(seconds), 0);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  const unit = (value: number, name: 'time.hours' | 'time.minutes' | 'time.seconds') =>
    format(tables[locale][name], { n: formatNumber(value, locale) });
  if (hours > 0) return `${unit(hours, 'time.hours')} ${unit(minutes, 'time.minutes')}`;
  if (minutes > 0)
    return secs > 0
      ? `${unit(minutes, 'time.minutes')} ${unit(secs, 'time.seconds')}`
      : unit(minutes, 'time.minutes');
  return unit(secs, 'time.seconds');
}
