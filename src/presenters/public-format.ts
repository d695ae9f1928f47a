// Formatting of public figures: the suppressed forms read the same everywhere.
import type { PublicFigure } from '../domain/privacy.ts';
import { type Lang, formatNumber, t } from '../i18n/index.ts';
import { dateFormat } from './format.ts';

export function figureText(lang: Lang, f: PublicFigure): string {
  switch (f.kind) {
    case 'value':
      return formatNumber(lang, f.value);
    case 'at_least':
      return t(lang, 'figure.at_least', { count: formatNumber(lang, f.value) });
    case 'fewer_than':
      return t(lang, 'figure.fewer_than', { count: f.threshold });
    case 'withheld':
      return t(lang, 'figure.withheld');
    case 'not_reported':
      return t(lang, 'figure.not_reported');
  }
}

/** A figure as a view model: its text, and whether it is a number or a marker. */
export function figureCell(lang: Lang, f: PublicFigure) {
  return {
    text: figureText(lang, f),
    marker: f.kind !== 'value',
    hidden: f.kind === 'fewer_than' || f.kind === 'withheld',
  };
}

export const figureValue = (f: PublicFigure): number | null => (f.kind === 'value' ? f.value : null);

export function formatTime(lang: Lang, date: Date, timeZone: string): string {
  return dateFormat('time', lang, timeZone, {
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

/** A short day label for charts: "4 Mar". */
export function formatShortDay(lang: Lang, day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return dateFormat('shortDay', lang, 'UTC', { day: 'numeric', month: 'short' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** "GMT+5": the zone the page's times are in. */
export function zoneName(lang: Lang, timeZone: string, at: Date): string {
  const part = dateFormat('zoneName', lang, timeZone, { timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/**
 * The zone as a reader names it, with its offset: "Алматы уақыты (GMT+5)", "Almaty Time
 * (GMT+5)". The IANA name ("Asia/Almaty") is a programmer's word, in Latin letters on a kk
 * or ru page; it stays where no generic name is known (it is in the JSON either way).
 */
export function zoneLabel(lang: Lang, timeZone: string, at: Date): string {
  const offset = zoneName(lang, timeZone, at);
  const generic = dateFormat('zoneGeneric', lang, timeZone, { timeZoneName: 'shortGeneric' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const named = generic && !/^(GMT|UTC)/.test(generic) ? generic : timeZone;
  return `${named} (${offset})`;
}
