// "Figures as of …": the evacuation's time of what a view shows, in words. A time the
// source gave as a day only is printed as that day, "time not reported" — never as 00:00.
// Used by the page header, the route cards and rows, and the staff "as of" view.
import { localDay } from '../domain/calendar.ts';
import { type Lang, t } from '../i18n/index.ts';
import { formatDateTime, formatDateTimeAttributive, formatDay, formatDayAttributive } from './format.ts';

export type AsOfView = { text: string; iso: string | null };

/** A moment in words: "3 March 2026 at 12:53 GMT+5", or "3 March 2026 (time not reported)". */
export function momentText(lang: Lang, at: Date, timeKnown: boolean, timeZone: string): string {
  if (timeKnown) return formatDateTime(lang, at, timeZone);
  return t(lang, 'asof.day_only', { day: formatDay(lang, localDay(at, timeZone)) });
}

/** The machine-readable form: an instant, or the day alone when no time was reported. */
export function momentIso(at: Date, timeKnown: boolean, timeZone: string): string {
  return timeKnown ? at.toISOString() : localDay(at, timeZone);
}

/**
 * "Figures as of …" / "Final figures as of …" of an operation, a route or a movement;
 * without any figure, the day of its report ("as reported on …"), else "no figures yet".
 * The time is in its attributive form (kk "2026 жылғы 4 наурыздағы жағдай бойынша",
 * src/presenters/format.ts); a day without a time has its own sentence, the note last.
 */
export function asOfLine(
  lang: Lang,
  timeZone: string,
  x: { figuresAsOf: Date | null; figuresAsOfTimeKnown: boolean; final?: boolean },
  reportedOn?: string | null,
): AsOfView {
  if (!x.figuresAsOf) {
    if (reportedOn)
      return {
        text: t(lang, 'asof.reported', { day: formatDayAttributive(lang, reportedOn) }),
        iso: reportedOn,
      };
    return { text: t(lang, 'asof.none'), iso: null };
  }
  const text = x.figuresAsOfTimeKnown
    ? t(lang, x.final ? 'asof.final' : 'asof.figures', {
        time: formatDateTimeAttributive(lang, x.figuresAsOf, timeZone),
      })
    : t(lang, x.final ? 'asof.final_day_only' : 'asof.figures_day_only', {
        day: formatDayAttributive(lang, localDay(x.figuresAsOf, timeZone)),
      });
  return { text, iso: momentIso(x.figuresAsOf, x.figuresAsOfTimeKnown, timeZone) };
}

/**
 * "The figures could not be refreshed; they are as of …": the outputs served from the last
 * good copy while the database is away — the page's banner and the feed's subtitle, in the
 * same words (the feed once put an ISO instant into the sentence). Dated in the zone of the
 * first operation, as the page's times are.
 */
export function degradedLine(lang: Lang, operations: readonly { timeZone: string }[], at: Date): string {
  const zone = operations[0]?.timeZone ?? 'Asia/Almaty';
  return t(lang, 'status.degraded', { time: formatDateTimeAttributive(lang, at, zone) });
}
