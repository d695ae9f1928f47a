// Date and number formatting for people, in the operation's time zone.
import { type Lang, formatNumber, localeOf, t } from '../i18n/index.ts';

export function formatDateTime(lang: Lang, date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat(localeOf(lang), {
    timeZone,
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
  return new Intl.DateTimeFormat(localeOf(lang), {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(at);
}

export function formatFigure(lang: Lang, value: number | null): string {
  return value === null ? t(lang, 'figure.not_reported') : formatNumber(lang, value);
}
