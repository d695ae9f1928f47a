// The digest email's sections, one presenter each (summary, movements, routes, groups,
// corrections, sources, notices), and the figure and change wording they share.
// presentDigest (digest.ts) assembles them into the view model of one language.
import type { Change, DigestContent, Figure, MovementLine } from '../domain/digest/content.ts';
import { STAGES } from '../domain/figures.ts';
import { type Lang, formatNumber, localized, t } from '../i18n/index.ts';
import type { Localized } from '../i18n/languages.ts';
import { type Part, localizedPart, optionalPart, partText } from './localized-part.ts';
import { localDay } from '../domain/calendar.ts';
import { formatDateTime, formatDay } from './format.ts';
import { sourceLine } from './public-routes.ts';

export function formatDigestFigure(lang: Lang, f: Figure | null): string {
  if (!f) return '—';
  switch (f.kind) {
    case 'value':
      return formatNumber(lang, f.value);
    case 'at_least':
      return t(lang, 'figure.at_least', { count: formatNumber(lang, f.value) });
    case 'fewer_than':
      return t(lang, 'digest.fewer_than', { k: f.threshold });
    case 'withheld':
      return t(lang, 'digest.withheld');
    default:
      return t(lang, 'figure.not_reported');
  }
}

export function formatChange(lang: Lang, c: Change | undefined): string {
  if (!c || c.kind === 'unknown') return t(lang, 'digest.change_unknown');
  if (c.kind === 'first') return t(lang, 'digest.first_reported', { value: formatNumber(lang, c.value) });
  if (c.value === 0) return t(lang, 'digest.no_change');
  return `${c.value > 0 ? '+' : '−'}${formatNumber(lang, Math.abs(c.value))}`;
}

/** What every section of one digest in one language is presented with. */
export interface DigestContext {
  content: DigestContent;
  lang: Lang;
  tz: string;
  staff: boolean;
  /** A day before is compared: the changes are printed. */
  compared: boolean;
  fig: (f: Figure | null) => string;
  /** Languages to prefer when the reader's is missing: the operation's working language. */
  prefer: Lang[];
  /** Runs stored before labels and notes were per language hold the working language's text. */
  legacy: (text: string | null | undefined) => Localized;
  /** An evacuation time, or its day alone when the time was not reported. */
  when: (at: string, timeKnown: boolean | undefined) => string;
  stageLabels: string[];
}

export function digestContext(content: DigestContent, lang: Lang): DigestContext {
  const tz = content.operation.timeZone;
  const working = content.operation.workingLanguage;
  return {
    content,
    lang,
    tz,
    staff: content.audience === 'staff',
    compared: content.previous !== null,
    fig: (f) => formatDigestFigure(lang, f),
    prefer: working ? [working] : [],
    legacy: (text) => (text ? { [working ?? 'en']: text } : {}),
    when: (at, timeKnown) =>
      timeKnown === false
        ? `${formatDay(lang, localDay(new Date(at), tz))}, ${t(lang, 'digest.time_not_reported')}`
        : formatDateTime(lang, new Date(at), tz),
    stageLabels: STAGES.map((s) => t(lang, `stage.${s}`)),
  };
}

const isZero = (f: Figure) => f.kind === 'value' && f.value === 0;

/**
 * The people who arrived home on the day, in words: the figure, or "arrival day not
 * recorded" when it is not reported. The summary card and the inbox preview line say it
 * alike (the preview said "not reported" where the body said the day was not recorded).
 */
export function arrivedOnDayValue({ content, lang, fig }: DigestContext): string {
  return content.arrivedOnDay.kind === 'not_reported'
    ? t(lang, 'digest.arrival_day_not_recorded')
    : fig(content.arrivedOnDay);
}

export function presentSummary(context: DigestContext) {
  const { content, lang, fig } = context;
  const day = formatDay(lang, content.day);
  const { totals } = content;
  // A card's value: a number, or words ("not reported", "at least 306") marked so the
  // email sets them smaller than a figure (in the figure's 22 px they broke mid-word).
  const card = (label: string, f: Figure, value = fig(f)) => ({ label, value, marker: f.kind !== 'value' });
  return {
    summary: [
      card(t(lang, 'digest.arrived_on_day', { day }), content.arrivedOnDay, arrivedOnDayValue(context)),
      card(t(lang, 'digest.arrived_total'), totals.arrived),
      card(t(lang, 'digest.on_the_way'), totals.onTheWay),
      card(t(lang, 'digest.registered_total'), totals.registered),
      // The headline's other buckets (headline.ts): with them the four add up to the total.
      ...(totals.waiting ? [card(t(lang, 'headline.waiting'), totals.waiting)] : []),
      ...(totals.stageNotReported && !isZero(totals.stageNotReported)
        ? [card(t(lang, 'headline.stage_not_reported'), totals.stageNotReported)]
        : []),
    ],
    // Said once, under the summary: those arrivals are in the total but on no day.
    undated:
      content.arrivedUndated && content.arrivedUndated.kind !== 'not_reported'
        ? t(lang, 'digest.arrived_undated_note', { value: fig(content.arrivedUndated) })
        : null,
  };
}

function presentMovementLine(context: DigestContext, m: MovementLine) {
  const { lang, staff, tz, fig, prefer, legacy, when } = context;
  const title: Part =
    m.label === null
      ? { text: t(lang, 'digest.unpublished_movement') }
      : localizedPart(m.labels ?? legacy(m.label), lang, prefer);
  const details = [
    m.at ? when(m.at, m.timeKnown) : null,
    m.people ? t(lang, 'digest.people', { value: fig(m.people) }) : null,
    m.delayed ? t(lang, 'movement.delayed') : null,
  ].filter((x): x is string => x !== null);
  return {
    title,
    titleText: partText(title),
    route: localized(m.routeNames, lang),
    details: details.join(' · '),
    staffNote: staff && m.staffNote ? m.staffNote : null,
    meetingPoint: staff && m.meetingPoint ? m.meetingPoint : null,
    departure:
      staff && m.scheduledDepartureAt ? formatDateTime(lang, new Date(m.scheduledDepartureAt), tz) : null,
  };
}

export function presentMovementSections(context: DigestContext) {
  const { content, lang } = context;
  const day = formatDay(lang, content.day);
  const section = (titleKey: string, d: string, lines: MovementLine[]) => ({
    title: t(lang, titleKey, { day: d }),
    items: lines.map((m) => presentMovementLine(context, m)),
    empty: lines.length === 0,
  });
  return [
    section('digest.departed_title', day, content.departed),
    section('digest.arrived_title', day, content.arrived),
    section('digest.cancelled_title', day, content.cancelled),
    ...(content.dueNotDeparted?.length
      ? [section('digest.due_not_departed_title', day, content.dueNotDeparted)]
      : []),
    section('digest.scheduled_title', formatDay(lang, content.nextDay), content.scheduledNextDay),
  ];
}

export function presentCorrections({ content, lang, tz }: DigestContext) {
  const figure = (value: number | null) =>
    formatDigestFigure(lang, value === null ? { kind: 'not_reported' } : { kind: 'value', value });
  return (content.corrections ?? []).map((c) =>
    t(lang, c.oldValue === null && c.newValue === null ? 'digest.correction_public' : 'digest.correction', {
      route: localized(c.routeNames, lang),
      movement: c.label ?? '',
      figure: `${t(lang, `stage.${c.stage}`)}${c.field === 'total' ? '' : ` (${t(lang, `group.${c.field}`)})`}`,
      old: figure(c.oldValue),
      new: figure(c.newValue),
      recorded: formatDay(lang, localDay(new Date(c.recordedAt), tz)),
    }),
  );
}

/**
 * Each source as the status page writes it (sourceLine: outlet, date — title, each in the
 * reader's language or marked as the language it is in), dated as the digest's content
 * dates it (sourceDay: never after the digest's day). A title missing in every language is
 * left out, not printed empty. Runs stored before sources were per language: their text,
 * in the working language.
 */
export function presentSources({ content, lang, prefer, legacy }: DigestContext) {
  const stored = content.operation.workingLanguage ?? 'en';
  return (content.sources ?? []).map((src) => {
    const line = sourceLine(
      lang,
      {
        outlet: src.outlet,
        outlets: src.outlets ?? legacy(src.outlet),
        title: src.title,
        titles: src.titles ?? legacy(src.title),
        language: src.language ?? stored,
        publishedOn: src.publishedOn,
        url: src.url,
      },
      prefer,
    );
    const title = line.title.text.trim() ? line.title : null;
    const outlet = partText(line.outlet);
    return {
      outlet: line.outlet,
      title,
      date: line.date,
      url: line.url,
      plain: `${outlet}, ${line.date}${title ? ` — ${partText(title)}` : ''}${line.url ? ` ${line.url}` : ''}`,
    };
  });
}

function presentStages(
  { lang, fig, compared }: DigestContext,
  figures: Record<(typeof STAGES)[number], Figure>,
  change: Partial<Record<(typeof STAGES)[number], Change>> | null | undefined,
) {
  return STAGES.map((s) => ({
    label: t(lang, `stage.${s}`),
    value: fig(figures[s]),
    change: compared ? formatChange(lang, change?.[s]) : null,
  }));
}

export function presentRoutes(context: DigestContext) {
  const { content, lang, staff, prefer, legacy } = context;
  return content.routes.map((r) => ({
    name: localized(r.names, lang),
    // Stale routes get their own section; repeating it on every route was noise.
    stale: null,
    note: optionalPart(r.publicNotes ?? legacy(r.publicNote), lang, prefer),
    staffNote: staff && r.staffNote ? r.staffNote : null,
    nothingReported: STAGES.every((s) => r.figures[s].kind === 'not_reported'),
    stages: presentStages(context, r.figures, r.change),
  }));
}

export function presentGroups(context: DigestContext) {
  return context.content.groups.map((g) => ({
    name: t(context.lang, `group.${g.group}`),
    stages: presentStages(context, g.figures, g.change),
  }));
}

export function presentNotices({ content, lang, tz, prefer }: DigestContext) {
  return content.notices.map((n) => {
    const text = localizedPart(n.bodies, lang, prefer);
    return {
      text,
      plain: partText(text),
      date: n.reportedOn ? formatDay(lang, n.reportedOn) : formatDateTime(lang, new Date(n.publishedAt), tz),
    };
  });
}
