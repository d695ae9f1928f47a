// "How these figures are made": a short public page, per language, on where the
// figures come from, what is counted, what is withheld and why, and which times
// the page shows. Its numbers (the threshold, the delay, the zone, the sources)
// are each operation's own settings, from the same projection as the page.
import type { PublicOperation, PublicProjection } from '../domain/privacy.ts';
import { type Lang, localized, t } from '../i18n/index.ts';
import { zoneLabel } from './public-format.ts';
import { presentPublicChrome } from './status-page.ts';
import { sourceLine } from './public-routes.ts';

export function presentMethodology(projection: PublicProjection, lang: Lang) {
  const chrome = presentPublicChrome(projection, lang, t(lang, 'methodology.title'));
  return {
    ...chrome,
    heading: t(lang, 'methodology.title'),
    publisherLine: chrome.publisher
      ? t(lang, 'methodology.publisher', { name: chrome.publisher.name.text })
      : null,
    operations: projection.operations.map((op) => presentOperationRules(op, lang)),
    back: { href: chrome.home, text: t(lang, 'methodology.back') },
    links: { json: '/api/v1/status', atom: `/${lang}/feed.atom`, csv: '/status.csv' },
  };
}

function presentOperationRules(op: PublicOperation, lang: Lang) {
  return {
    name: localized(op.names, lang),
    rules: [
      t(lang, 'methodology.threshold', { count: op.threshold }),
      op.publicationDelayMinutes
        ? t(lang, 'privacy.delay', { count: op.publicationDelayMinutes })
        : t(lang, 'privacy.after_departure'),
      t(lang, 'methodology.zone', {
        zone: zoneLabel(lang, op.timeZone, op.lastUpdatedAt),
      }),
      t(lang, 'methodology.stale', { count: op.staleAfterHours }),
    ],
    sources: op.sources.map((s) => sourceLine(lang, s, [op.workingLanguage])),
  };
}
