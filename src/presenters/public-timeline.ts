// The timeline of public events (domain/public-timeline.ts) as view models: the
// start of it on the status page, all of it a page at a time on /{lang}/timeline[/n]
// with plain links back and forth (no script). Each event is dated in the
// operation's time zone — to the minute when its time was recorded, to the day
// when only its day is, "recorded …" otherwise — and names its source.
import { localDay } from '../domain/calendar.ts';
import type { PublicOperation } from '../domain/privacy.ts';
import { type TimelineEvent, operationTimeline, timelinePage } from '../domain/public-timeline.ts';
import { type Lang, localized, t } from '../i18n/index.ts';
import { publicAnchor } from '../public/urls.ts';
import { formatDateTime, formatDay } from './format.ts';
import { figureCell } from './public-format.ts';
import { publicLinks } from './public-links.ts';
import { sourceLine } from './public-routes.ts';
import { type Part, localizedPart } from './localized-part.ts';

/** Events the status page shows (the newest); the rest are on the timeline's pages. */
export const TIMELINE_ON_PAGE = 5;
/**
 * Events a phone shows (the page's style hides the rest under 40rem, to keep the
 * first three screens): with more than these, the link to the whole timeline is there.
 */
export const TIMELINE_ON_PHONE = 3;
/** Events per page of /{lang}/timeline. */
export const TIMELINE_PAGE_SIZE = 25;

/** Where the label goes in a title: split there, so the label can carry its own language. */
const LABEL_SLOT = '\u0001';

export function presentEvent(e: TimelineEvent, lang: Lang, tz: string, prefer: readonly Lang[] = []) {
  const route = e.route ? localized(e.route.names, lang) : '';
  const labelPart = localizedPart(e.movement?.labels ?? {}, lang, prefer);
  const label = LABEL_SLOT;
  const sentence = (() => {
    switch (e.kind) {
      case 'departed':
        return t(lang, 'timeline.departed', { route, label });
      case 'arrived':
        return t(lang, 'timeline.arrived', { route, label });
      case 'cancelled':
        return t(lang, 'timeline.cancelled', { route, date: formatDay(lang, localDay(e.at, tz)) });
      case 'corrected':
        return t(lang, 'timeline.corrected', { route, label });
      case 'rescheduled':
        return t(lang, 'timeline.rescheduled', {
          route,
          from: formatDay(lang, e.days!.from),
          to: formatDay(lang, e.days!.to),
        });
      case 'crossing':
        return t(lang, 'timeline.crossing', {
          from: localized(e.crossing!.from, lang),
          to: localized(e.crossing!.to, lang),
          status: t(lang, `crossing.${e.crossing!.status ?? 'unknown'}`),
        });
      case 'notice':
        return t(lang, 'timeline.notice');
    }
  })();
  // The title as parts: the reader's language around the label, the label in its own (marked).
  const [before = '', after = ''] = sentence.split(LABEL_SLOT);
  const titleParts: Part[] = sentence.includes(LABEL_SLOT)
    ? [{ text: before }, labelPart, { text: after }].filter((p) => p.text !== '')
    : [{ text: sentence }];
  const title = titleParts.map((p) => (p.mark ? `${p.text} ${p.mark}` : p.text)).join('');
  const figure =
    e.figure && (e.kind === 'departed' || e.kind === 'arrived')
      ? {
          label: t(lang, e.kind === 'departed' ? 'stage.departed' : 'stage.arrived'),
          ...figureCell(lang, e.figure),
        }
      : null;
  return {
    kind: e.kind,
    title,
    titleParts,
    body: e.kind === 'notice' && e.bodies ? localizedPart(e.bodies, lang) : null,
    figure,
    when:
      e.precision === 'time'
        ? formatDateTime(lang, e.at, tz)
        : e.precision === 'day'
          ? t(lang, 'timeline.day_only', { date: formatDay(lang, localDay(e.at, tz)) })
          : e.precision === 'reported'
            ? t(lang, 'timeline.reported', { date: formatDay(lang, localDay(e.at, tz)) })
            : t(lang, 'timeline.recorded', { time: formatDateTime(lang, e.at, tz) }),
    iso: e.precision === 'day' || e.precision === 'reported' ? localDay(e.at, tz) : e.at.toISOString(),
    source: e.source ? sourceLine(lang, e.source) : null,
    href: eventTarget(e, lang),
  };
}

/** Where an event's details are: the route's own page (its movement's row), or the notice. */
function eventTarget(e: TimelineEvent, lang: Lang): string | null {
  if (e.kind === 'notice')
    return `${publicLinks.page(lang)}#${publicAnchor('notice', Number(e.id.split('/')[1]))}`;
  if (!e.route) return null;
  const anchor = e.movement ? publicAnchor('movement', e.movement.id) : publicAnchor('route', e.route.id);
  return `${publicLinks.route(lang, e.route.slug)}#${anchor}`;
}

/** The start of the timeline, for the status page. */
export function presentTimelineStart(op: PublicOperation, lang: Lang) {
  const events = operationTimeline(op);
  return {
    events: events
      .slice(0, TIMELINE_ON_PAGE)
      .map((e) => presentEvent(e, lang, op.timeZone, [op.workingLanguage])),
    more:
      events.length > TIMELINE_ON_PHONE
        ? { href: publicLinks.timeline(lang, 1), text: t(lang, 'timeline.all', { count: events.length }) }
        : null,
  };
}

/** One page of the whole timeline (page 1 the newest). */
export function presentTimelinePage(op: PublicOperation, lang: Lang, page: number) {
  const p = timelinePage(operationTimeline(op), page, TIMELINE_PAGE_SIZE);
  return {
    events: p.events.map((e) => presentEvent(e, lang, op.timeZone, [op.workingLanguage])),
    pages: p.pages,
  };
}
