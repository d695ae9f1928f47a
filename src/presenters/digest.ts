// Digest content → view model of the email (HTML and text) in one language.
// All wording and number/date formatting of the digest happens here.
import type { DigestContent } from '../domain/digest/content.ts';
import { type Lang, localized, t } from '../i18n/index.ts';
import { formatDateTime, formatDay } from './format.ts';
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

export function presentDigest(
  content: DigestContent,
  lang: Lang,
  links: { statusUrl: string; unsubscribeUrl: string },
) {
  const context = digestContext(content, lang);
  const { staff, compared, fig, when } = context;
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
    // The evacuation's time of the figures shown (older runs: when they were generated).
    asOf: t(lang, 'digest.as_of', {
      day,
      time:
        content.figuresAsOf === undefined
          ? formatDateTime(lang, new Date(content.generatedAt), context.tz)
          : content.figuresAsOf === null
            ? t(lang, 'figure.not_reported')
            : when(content.figuresAsOf, content.figuresAsOfTimeKnown),
    }),
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
