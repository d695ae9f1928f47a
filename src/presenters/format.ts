// Date and number formatting for people, in the operation's time zone.
import { type Lang, formatNumber, localeOf, t } from '../i18n/index.ts';

const formats = new Map<string, Map<Lang, Map<string, Intl.DateTimeFormat>>>();

/**
 * One formatter per (name, language, zone), made once: constructing an Intl.DateTimeFormat
 * costs far more than formatting with it (at 1,000 movements it was most of a public page's
 * render). The options of a name never vary. Found by nested maps, not a key joined per call.
 */
export function dateFormat(
  name: string,
  lang: Lang,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let byLang = formats.get(name);
  if (!byLang) formats.set(name, (byLang = new Map<Lang, Map<string, Intl.DateTimeFormat>>()));
  let byZone = byLang.get(lang);
  if (!byZone) byLang.set(lang, (byZone = new Map<string, Intl.DateTimeFormat>()));
  let f = byZone.get(timeZone);
  if (!f) byZone.set(timeZone, (f = new Intl.DateTimeFormat(localeOf(lang), { ...options, timeZone })));
  return f;
}

/** "4 March 2026, 14:30 GMT+5": an instant with its day, time and zone. */
export const DATE_TIME_OPTIONS: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
};

export function formatDateTime(lang: Lang, date: Date, timeZone: string): string {
  return dateFormat('dateTime', lang, timeZone, DATE_TIME_OPTIONS).format(date);
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
