// Digest content → view model of the email (HTML and text) in one language.
// All wording and number/date formatting of the digest happens here.
import { localDay } from '../domain/calendar.ts';
import type { DigestContent } from '../domain/digest/content.ts';
import { type Lang, localized, t } from '../i18n/index.ts';
import { formatDateTimeAttributive, formatDay, formatDayAttributive } from './format.ts';
import { localizedPart } from './localized-part.ts';
import {
  arrivedOnDayValue,
  digestContext,
  presentCorrections,
  presentGroups,
  presentMovementSections,
  presentNotices,
  presentRoutes,
  presentSources,
  presentSummary,
} from './digest-sections.ts';

export function digestSubject(content: DigestContent, lang: Lang): string {
  const vars = { operation: localized(content.operation.names, lang), day: formatDay(lang, content.day) };
  return t(lang, content.audience === 'staff' ? 'digest.subject_staff' : 'digest.subject', vars);
}

/**
 * "4 March 2026 · figures as of …": the evacuation's time of the figures shown (older runs:
 * when they were generated), in its attributive form (kk "деректер … жағдай бойынша",
 * src/presenters/format.ts); a day without a time, and no figure at all, have their own sentence.
 */
function digestAsOf(content: DigestContent, lang: Lang, tz: string, day: string): string {
  const { figuresAsOf } = content;
  if (figuresAsOf === null) return t(lang, 'digest.as_of_none', { day });
  const at = new Date(figuresAsOf ?? content.generatedAt);
  if (figuresAsOf !== undefined && content.figuresAsOfTimeKnown === false)
    return t(lang, 'digest.as_of_day_only', { day, date: formatDayAttributive(lang, localDay(at, tz)) });
  return t(lang, 'digest.as_of', { day, time: formatDateTimeAttributive(lang, at, tz) });
}

export function presentDigest(
  content: DigestContent,
  lang: Lang,
  links: { statusUrl: string; unsubscribeUrl: string },
) {
  const context = digestContext(content, lang);
  const { staff, compared, fig } = context;
  const day = formatDay(lang, content.day);
  const operation = localized(content.operation.names, lang);
  return {
    lang,
    subject: digestSubject(content, lang),
    preheader: t(lang, 'digest.preheader', {
      day,
      arrived: arrivedOnDayValue(context),
      total: fig(content.totals.arrived),
    }),
    heading: t(lang, 'digest.heading'),
    // Who sends it, as the From name and the status page say (older runs: the product's name).
    publisher: content.operation.authority
      ? localizedPart(content.operation.authority, lang, context.prefer)
      : { text: t(lang, 'site.brand') },
    operation,
    asOf: digestAsOf(content, lang, context.tz, day),
    staff,
    banner: staff ? t(lang, 'digest.staff_banner') : t(lang, 'digest.public_note'),
    ...presentSummary(context),
    sections: presentMovementSections(context),
    correctionsTitle: t(lang, 'digest.corrections_title'),
    corrections: presentCorrections(context),
    sourcesTitle: t(lang, 'digest.sources_title'),
    sources: presentSources(context),
    none: t(lang, 'digest.none'),
    comparison: compared
      ? t(lang, 'digest.change_since', { day: formatDay(lang, content.previous!.day) })
      : t(lang, 'digest.first_digest'),
    compared,
    stageLabels: context.stageLabels,
    changeLabel: t(lang, 'digest.change_header'),
    routesTitle: t(lang, 'digest.routes_title'),
    routes: presentRoutes(context),
    groupsTitle: t(lang, 'digest.groups_title'),
    groups: presentGroups(context),
    hasGroups: content.groups.length > 0,
    staleTitle: `${t(lang, 'digest.stale_title')} (${t(lang, 'digest.stale', { hours: content.operation.staleAfterHours })})`,
    staleRoutes: content.routes.filter((r) => r.stale).map((r) => localized(r.names, lang)),
    noticesTitle: t(lang, 'digest.notices_title'),
    notices: presentNotices(context),
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
