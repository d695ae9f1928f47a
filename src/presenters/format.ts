// Date and number formatting for people, in the operation's time zone.
import { type Lang, formatNumber, localeOf, t } from '../i18n/index.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * A kept Intl.DateTimeFormat per (kind, language, zone): making one costs tens of µs, and a
 * public build formats thousands of dates (it was a third of a build's CPU). Bounded: a few
 * kinds × 3 languages × the operations' zones.
 */
export function dateFormat(kind: string, lang: Lang, timeZone: string, options: Intl.DateTimeFormatOptions) {
  const key = `${kind}|${lang}|${timeZone}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(localeOf(lang), { ...options, timeZone })));
  return format;
}

export function formatDateTime(lang: Lang, date: Date, timeZone: string): string {
  return dateFormat('date-time', lang, timeZone, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(date);
}

/** A calendar date (YYYY-MM-DD, already in the operation's zone). */
export function formatDay(lang: Lang, day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d));
  // A string that is not a day is shown as it is rather than thrown as a RangeError.
  if (Number.isNaN(at.getTime())) return day;
  return dateFormat('day', lang, 'UTC', { day: 'numeric', month: 'long', year: 'numeric' }).format(at);
}

export function formatFigure(lang: Lang, value: number | null): string {
  return value === null ? t(lang, 'figure.not_reported') : formatNumber(lang, value);
}
