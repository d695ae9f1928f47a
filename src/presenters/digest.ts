// Digest content → view model of the email (HTML and text) in one language.
// All wording and number/date formatting of the digest happens here.
import type { Change, DigestContent, Figure, MovementLine } from '../domain/digest/content.ts';
import { STAGES } from '../domain/figures.ts';
import { type Lang, formatNumber, localized, t } from '../i18n/index.ts';
import type { Localized } from '../i18n/languages.ts';
import { type Part, localizedPart, optionalPart, partText } from './localized-part.ts';
import { localDay } from '../domain/calendar.ts';
import { formatDateTime, formatDay } from './format.ts';

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

const isZero = (f: Figure) => f.kind === 'value' && f.value === 0;

export function formatChange(lang: Lang, c: Change | undefined): string {
  if (!c || c.kind === 'unknown') return t(lang, 'digest.change_unknown');
  if (c.kind === 'first') return t(lang, 'digest.first_reported', { value: formatNumber(lang, c.value) });
  if (c.value === 0) return t(lang, 'digest.no_change');
  return `${c.value > 0 ? '+' : '−'}${formatNumber(lang, Math.abs(c.value))}`;
}

export function digestSubject(content: DigestContent, lang: Lang): string {
  const vars = { operation: localized(content.operation.names, lang), day: formatDay(lang, content.day) };
  return t(lang, content.audience === 'staff' ? 'digest.subject_staff' : 'digest.subject', vars);
}

export function presentDigest(
  content: DigestContent,
  lang: Lang,
  links: { statusUrl: string; unsubscribeUrl: string },
) {
  const tz = content.operation.timeZone;
  const staff = content.audience === 'staff';
  const day = formatDay(lang, content.day);
  const nextDay = formatDay(lang, content.nextDay);
  const operation = localized(content.operation.names, lang);
  const fig = (f: Figure | null) => formatDigestFigure(lang, f);
  const prefer = content.operation.workingLanguage ? [content.operation.workingLanguage] : [];
  // Runs stored before labels and notes were per language hold the working language's text.
  const legacy = (text: string | null | undefined): Localized =>
    text ? { [content.operation.workingLanguage ?? 'en']: text } : {};
  const when = (at: string, timeKnown: boolean | undefined) =>
    timeKnown === false
      ? `${formatDay(lang, localDay(new Date(at), tz))}, ${t(lang, 'digest.time_not_reported')}`
      : formatDateTime(lang, new Date(at), tz);
  const line = (m: MovementLine) => {
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
  };
  const section = (titleKey: string, d: string, lines: MovementLine[]) => ({
    title: t(lang, titleKey, { day: d }),
    items: lines.map(line),
    empty: lines.length === 0,
  });
  const stageLabels = STAGES.map((s) => t(lang, `stage.${s}`));
  const compared = content.previous !== null;
  return {
    lang,
    subject: digestSubject(content, lang),
    preheader: t(lang, 'digest.preheader', {
      day,
      arrived: fig(content.arrivedOnDay),
      total: fig(content.totals.arrived),
    }),
    heading: t(lang, 'digest.heading'),
    operation,
    // The evacuation's time of the figures shown (older runs: when they were generated).
    asOf: t(lang, 'digest.as_of', {
      day,
      time:
        content.figuresAsOf === undefined
          ? formatDateTime(lang, new Date(content.generatedAt), tz)
          : content.figuresAsOf === null
            ? t(lang, 'figure.not_reported')
            : when(content.figuresAsOf, content.figuresAsOfTimeKnown),
    }),
    staff,
    banner: staff ? t(lang, 'digest.staff_banner') : t(lang, 'digest.public_note'),
    summary: [
      {
        label: t(lang, 'digest.arrived_on_day', { day }),
        value:
          content.arrivedOnDay.kind === 'not_reported'
            ? t(lang, 'digest.arrival_day_not_recorded')
            : fig(content.arrivedOnDay),
      },
      { label: t(lang, 'digest.arrived_total'), value: fig(content.totals.arrived) },
      { label: t(lang, 'digest.on_the_way'), value: fig(content.totals.onTheWay) },
      { label: t(lang, 'digest.registered_total'), value: fig(content.totals.registered) },
      // The headline's other buckets (headline.ts): with them the four add up to the total.
      ...(content.totals.waiting
        ? [{ label: t(lang, 'headline.waiting'), value: fig(content.totals.waiting) }]
        : []),
      ...(content.totals.stageNotReported && !isZero(content.totals.stageNotReported)
        ? [{ label: t(lang, 'headline.stage_not_reported'), value: fig(content.totals.stageNotReported) }]
        : []),
    ],
    // Said once, under the summary: those arrivals are in the total but on no day.
    undated:
      content.arrivedUndated && content.arrivedUndated.kind !== 'not_reported'
        ? t(lang, 'digest.arrived_undated_note', { value: fig(content.arrivedUndated) })
        : null,
    sections: [
      section('digest.departed_title', day, content.departed),
      section('digest.arrived_title', day, content.arrived),
      section('digest.cancelled_title', day, content.cancelled),
      ...(content.dueNotDeparted?.length
        ? [section('digest.due_not_departed_title', day, content.dueNotDeparted)]
        : []),
      section('digest.scheduled_title', nextDay, content.scheduledNextDay),
    ],
    correctionsTitle: t(lang, 'digest.corrections_title'),
    corrections: (content.corrections ?? []).map((c) =>
      t(lang, c.oldValue === null && c.newValue === null ? 'digest.correction_public' : 'digest.correction', {
        route: localized(c.routeNames, lang),
        movement: c.label ?? '',
        figure: `${t(lang, `stage.${c.stage}`)}${c.field === 'total' ? '' : ` (${t(lang, `group.${c.field}`)})`}`,
        old: formatDigestFigure(
          lang,
          c.oldValue === null ? { kind: 'not_reported' } : { kind: 'value', value: c.oldValue },
        ),
        new: formatDigestFigure(
          lang,
          c.newValue === null ? { kind: 'not_reported' } : { kind: 'value', value: c.newValue },
        ),
        recorded: formatDay(lang, localDay(new Date(c.recordedAt), tz)),
      }),
    ),
    sourcesTitle: t(lang, 'digest.sources_title'),
    // Each source's outlet and title in the reader's language, or marked in their own.
    sources: (content.sources ?? []).map((src) => {
      const outlet = localizedPart(src.outlets ?? legacy(src.outlet), lang, prefer);
      const title = localizedPart(src.titles ?? legacy(src.title), lang, prefer);
      const date = formatDay(lang, src.publishedOn);
      return {
        outlet,
        title,
        date,
        url: src.url,
        plain: `${partText(outlet)}: ${partText(title)} (${date})${src.url ? ` ${src.url}` : ''}`,
      };
    }),
    none: t(lang, 'digest.none'),
    comparison: compared
      ? t(lang, 'digest.change_since', { day: formatDay(lang, content.previous!.day) })
      : t(lang, 'digest.first_digest'),
    compared,
    stageLabels,
    changeLabel: t(lang, 'digest.change_header'),
    routesTitle: t(lang, 'digest.routes_title'),
    routes: content.routes.map((r) => ({
      name: localized(r.names, lang),
      // Stale routes get their own section; repeating it on every route was noise.
      stale: null,
      note: optionalPart(r.publicNotes ?? legacy(r.publicNote), lang, prefer),
      staffNote: staff && r.staffNote ? r.staffNote : null,
      nothingReported: STAGES.every((s) => r.figures[s].kind === 'not_reported'),
      stages: STAGES.map((s) => ({
        label: t(lang, `stage.${s}`),
        value: fig(r.figures[s]),
        change: compared ? formatChange(lang, r.change?.[s]) : null,
      })),
    })),
    groupsTitle: t(lang, 'digest.groups_title'),
    groups: content.groups.map((g) => ({
      name: t(lang, `group.${g.group}`),
      stages: STAGES.map((s) => ({
        label: t(lang, `stage.${s}`),
        value: fig(g.figures[s]),
        change: compared ? formatChange(lang, g.change?.[s]) : null,
      })),
    })),
    hasGroups: content.groups.length > 0,
    staleTitle: `${t(lang, 'digest.stale_title')} (${t(lang, 'digest.stale', { hours: content.operation.staleAfterHours })})`,
    staleRoutes: content.routes.filter((r) => r.stale).map((r) => localized(r.names, lang)),
    noticesTitle: t(lang, 'digest.notices_title'),
    notices: content.notices.map((n) => ({
      text: localizedPart(n.bodies, lang, prefer),
      plain: partText(localizedPart(n.bodies, lang, prefer)),
      date: n.reportedOn ? formatDay(lang, n.reportedOn) : formatDateTime(lang, new Date(n.publishedAt), tz),
    })),
    staffNoteLabel: t(lang, 'digest.staff_note'),
    notReported: t(lang, 'digest.no_figures'),
    meetingPointLabel: t(lang, 'digest.meeting_point'),
    departureLabel: t(lang, 'digest.departure_time'),
    statusUrl: links.statusUrl,
    statusLabel: t(lang, 'digest.open_status'),
    footer: t(lang, staff ? 'digest.footer_staff' : 'digest.footer_public', { operation }),
    unsubscribeUrl: links.unsubscribeUrl,
    unsubscribeLabel: t(lang, 'digest.unsubscribe'),
  };
}
