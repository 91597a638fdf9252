import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatNumber } from '../../src/lib/format';
import type { Locale } from '../../src/lib/i18n/messages';

// The app writes its figures without Intl (src/lib/format.ts says why); Intl is the reference here.
const LOCALES: Locale[] = ['en', 'zh-HK'];
const VALUES = [
  0,
  0.04,
  0.05,
  0.25,
  1,
  1.05,
  1.25,
  1.35,
  2.5,
  9.95,
  99.95,
  100,
  999.5,
  999.95,
  1000,
  1023.96,
  1234.5,
  12345.55,
  999_999.5,
  1_234_567,
  987_654_321.25,
  2 ** 40,
];

describe('formatNumber', () => {
  for (const locale of LOCALES) {
    for (const digits of [0, 1, 2]) {
      it(`writes numbers as Intl does in ${locale}, ${digits} decimals at most`, () => {
        for (const value of VALUES) {
          expect(formatNumber(value, locale, digits), String(value)).toBe(
            value.toLocaleString(locale, { maximumFractionDigits: digits }),
          );
        }
      });
    }
  }

  it('rounds as Intl does, over many values of every size', () => {
    let seed = 17;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 3000; i++) {
      // Three decimals at most and a magnitude from 0.001 to 1e9, like the sizes and speeds shown.
      const value = Math.round(random() * 10 ** (1 + Math.floor(random() * 9)) * 1000) / 1000;
      const digits = i % 3;
      expect(formatNumber(value, 'en', digits), String(value)).toBe(
        value.toLocaleString('en', { maximumFractionDigits: digits }),
      );
    }
  });

  it('writes byte sizes as Intl does, over a sweep of sizes', () => {
    for (const locale of LOCALES) {
      for (let bytes = 1; bytes < 2 ** 44; bytes = Math.ceil(bytes * 1.37)) {
        const text = formatBytes(bytes, locale);
        const [figure = ''] = text.split(' ');
        const value = Number(figure.replaceAll(',', ''));
        const digits = figure.includes('.') || value < 100 ? 1 : 0;
        expect(figure, String(bytes)).toBe(value.toLocaleString(locale, { maximumFractionDigits: digits }));
      }
    }
    expect(formatBytes(1_387_230_088)).toBe('1.3 GB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_500_000, 'zh-HK')).toBe('1.4 MB');
  });
});

describe('formatDuration', () => {
  const unit = (value: number, name: 'hour' | 'minute' | 'second', locale: Locale) =>
    value.toLocaleString(locale, { style: 'unit', unit: name, unitDisplay: 'short' });

  it("writes Intl's short units in both languages", () => {
    for (const locale of LOCALES) {
      for (const seconds of [0, 1, 12, 59, 60, 200, 3599, 3600, 3900, 7322, 4_000_000]) {
        const hours = Math.floor(seconds / 3600);
        const minutes = Math.floor((seconds % 3600) / 60);
        const secs = seconds % 60;
        const expected =
          hours > 0
            ? `${unit(hours, 'hour', locale)} ${unit(minutes, 'minute', locale)}`
            : minutes > 0
              ? secs > 0
                ? `${unit(minutes, 'minute', locale)} ${unit(secs, 'second', locale)}`
                : unit(minutes, 'minute', locale)
              : unit(secs, 'second', locale);
        expect(formatDuration(seconds, locale), `${seconds} s`).toBe(expected);
      }
    }
  });
});
