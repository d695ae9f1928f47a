// Date and number formatting for people, in the operation's time zone: the bare forms
// ("4 March 2026") and, for a language whose grammar needs one, the attributive form a date
// takes before a noun ("2026 жылғы 4 наурыздағы жағдай бойынша"; formatDayAttributive below).
import { isDay, localDateTime } from '../domain/calendar.ts';
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

/*
 * The attributive form: a date or time placed before a noun or postposition, as in "figures
 * as of …" (kk "… жағдай бойынша"). English and Russian put the bare form there ("as of 4 March
 * 2026", "на 4 марта 2026 г."). Kazakh does not: a date qualifying a noun takes the
 * locative-attributive suffix, the year -ғы and the month -дағы/-дегі/-тағы/-тегі by vowel
 * harmony and the last sound — "2026 жылғы 4 наурыздағы жағдай бойынша", as state bodies
 * write it ("2024 жылғы 19 қаңтардағы № 20 қаулы") — and a time takes it on its minutes, read
 * as a number ("00" as нөл): "сағат 21:00-дегі", "сағат 17:40-тағы жағдай бойынша" (Kazinform),
 * "09:00-ден 18:00-ге" (the same reading for other cases). The zone, which the bare form
 * prints as "GMT+5", goes before the time as news agencies place "Астана уақытымен".
 * Two written-out tables, not a morphology engine: every month and every minute's last spoken
 * number with its suffix. A language without such a table uses its bare forms.
 */

/** Kazakh months, January first: the name, and the name with the attributive suffix. */
const KK_MONTHS = [
  ['қаңтар', 'қаңтардағы'],
  ['ақпан', 'ақпандағы'],
  ['наурыз', 'наурыздағы'],
  ['сәуір', 'сәуірдегі'],
  ['мамыр', 'мамырдағы'],
  ['маусым', 'маусымдағы'],
  ['шілде', 'шілдедегі'],
  ['тамыз', 'тамыздағы'],
  ['қыркүйек', 'қыркүйектегі'],
  ['қазан', 'қазандағы'],
  ['қараша', 'қарашадағы'],
  ['желтоқсан', 'желтоқсандағы'],
] as const;

/** The suffix after minutes whose last digit is not 0, by that digit: бір, екі, үш … тоғыз. */
const KK_UNIT_SUFFIX = ['', 'дегі', 'дегі', 'тегі', 'тегі', 'тегі', 'дағы', 'дегі', 'дегі', 'дағы'] as const;
/** The suffix after a whole ten of minutes: нөл ("00"), он, жиырма, отыз, қырық, елу. */
const KK_TENS_SUFFIX = ['дегі', 'дағы', 'дағы', 'дағы', 'тағы', 'дегі'] as const;

type Attributive = {
  day: (y: number, m: number, d: number) => string;
  dateTime: (wall: { y: number; m: number; d: number; time: string; minute: number }, zone: string) => string;
};

/** The languages whose attributive forms differ from their bare ones. */
const ATTRIBUTIVE: Partial<Record<Lang, Attributive>> = {
  kk: {
    day: (y, m, d) => `${y} жылғы ${d} ${KK_MONTHS[m - 1]![1]}`,
    dateTime: ({ y, m, d, time, minute }, zone) =>
      `${y} жылғы ${d} ${KK_MONTHS[m - 1]![0]}, ${zone} уақытымен сағат ${time}-` +
      (minute % 10 ? KK_UNIT_SUFFIX[minute % 10] : KK_TENS_SUFFIX[minute / 10]),
  },
};

/** A calendar day (YYYY-MM-DD) before a noun: kk "2026 жылғы 4 наурыздағы"; elsewhere the bare day. */
export function formatDayAttributive(lang: Lang, day: string): string {
  const forms = ATTRIBUTIVE[lang];
  if (!forms || !isDay(day)) return formatDay(lang, day);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return forms.day(y, m, d);
}

/** An instant before a noun: kk "2026 жылғы 4 наурыз, GMT+5 уақытымен сағат 21:00-дегі"; elsewhere the bare form. */
export function formatDateTimeAttributive(lang: Lang, date: Date, timeZone: string): string {
  const forms = ATTRIBUTIVE[lang];
  if (!forms) return formatDateTime(lang, date, timeZone);
  const wall = localDateTime(date, timeZone); // "2026-03-04T21:00", in the zone
  const [y, m, d] = wall.slice(0, 10).split('-').map(Number) as [number, number, number];
  const zone = dateFormat('dateTime', lang, timeZone, DATE_TIME_OPTIONS)
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')!.value;
  return forms.dateTime({ y, m, d, time: wall.slice(11, 16), minute: Number(wall.slice(14, 16)) }, zone);
}

export function formatFigure(lang: Lang, value: number | null): string {
  return value === null ? t(lang, 'figure.not_reported') : formatNumber(lang, value);
}
