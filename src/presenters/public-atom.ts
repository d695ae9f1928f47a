// The Atom feed (RFC 4287), one per language: an entry per public event of the
// timeline (departures, arrivals, cancellations, crossings, notices, corrections:
// domain/public-timeline.ts, the same events as the page's timeline) and one per
// route (its state, updated when it turns stale). Ids are tag: URIs (RFC 4151) made
// from TAG_AUTHORITY and the event's record and kind (movement/7/departed) —
// independent of the address the site is served from, the same in every language's
// feed for the same entry, which differs there only in its language (xml:lang). Each
// entry links to its details in that language: the route's page, or the notice.
// <updated> is when the entry changed in public (RFC 4287: "the most recent instant in
// time when an entry … was modified in a way the publisher considers significant"),
// reckoned from public times only — never a write time, which would move the feed for
// edits the public cannot see: an event's time (a day-only one: its day's start in the
// operation's zone, as in the JSON), a departure's end of publication delay, a route's
// figures' as-of, or the moment it turned stale (that as-of + the stale threshold, when
// the page marked it too). A route's summary says its figures' time in words ("time not
// reported" where the source gave a day), so that instant is not taken for a source's.
import type { PublicOperation, PublicProjection, PublicRoute } from '../domain/privacy.ts';
import type { TimelineEvent } from '../domain/public-timeline.ts';
import type { Localized, LocalizedText } from '../../db/schema.ts';
import { LANGUAGES, type Lang, localized, t } from '../i18n/index.ts';
import { publicAnchor, publicPath } from '../public/urls.ts';
import { type Part, localizedPart, optionalPart, partText } from './localized-part.ts';
import { operationTimeline } from '../domain/public-timeline.ts';
import { presentEvent } from './public-timeline.ts';
import { asOfLine, degradedLine } from './public-as-of.ts';
import { byCodeUnits } from '../compare.ts';
import { routeStaleFrom } from '../domain/staleness.ts';

/** Characters XML 1.0 does not allow at all (most C0 controls, lone surrogates, U+FFFE/F). */
const NOT_XML = new RegExp(
  // eslint-disable-next-line no-control-regex -- the point is to strip control characters
  '[^\\u0009\\u000a\\u000d\\u0020-\\ud7ff\\ue000-\\ufffd\\u{10000}-\\u{10ffff}]',
  'gu',
);

export const xml = (s: string) =>
  s
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/**
 * A text with the language it is in (a name or notice falls back to English); `parts`
 * when it mixes languages (a title around a label written in another), then written as
 * XHTML with each foreign part in a span with its xml:lang.
 */
type Text = { text: string; lang: Lang; parts?: Part[] };
/** Content in the reader's language, else in its own (the working language first), with xml:lang. */
const contentIn = (text: Localized, lang: Lang, working: Lang): Text => {
  const part = localizedPart(text, lang, [working]);
  return { text: part.text, lang: (part.lang as Lang | undefined) ?? lang };
};
const inLang = (names: LocalizedText, lang: Lang): Text =>
  names[lang] ? { text: names[lang], lang } : { text: names.en, lang: 'en' };

type Entry = { id: string; title: Text; updated: Date; summary: Text; href: string };
/**
 * An entry's sort key, and how to make the rest of it. The feed keeps the newest
 * FEED_ENTRIES: at 1,000 movements a timeline has thousands of events, and presenting
 * each (its sentence, figure, source, dates) only to drop it was most of the feed's render.
 */
type Candidate = { id: string; updated: Date; make: () => Entry };

/** Entries in a feed: the newest, as feed readers keep (RFC 4287 sets no number). */
const FEED_ENTRIES = 100;

export type FeedOptions = { baseUrl: string; tagAuthority: string; degradedAsOf?: Date };

/** tag:<authority>:<specific> — `specific` is e.g. route/3; stable for as long as the record lives. */
export const tagUri = (tagAuthority: string, specific: string) => `tag:${tagAuthority}:${specific}`;

export function statusAtom(p: PublicProjection, lang: Lang, o: FeedOptions): string {
  const base = o.baseUrl.replace(/\/+$/, '');
  const candidates = p.operations.flatMap((op) => operationEntries(op, lang, o.tagAuthority, base));
  // The same order in every language: by time, then by id; the newest made into entries.
  candidates.sort((a, b) => b.updated.getTime() - a.updated.getTime() || byCodeUnits(a.id, b.id));
  const entries = candidates.slice(0, FEED_ENTRIES).map((c) => c.make());
  const updated = entries[0]?.updated ?? p.lastUpdatedAt;
  const subtitle = o.degradedAsOf
    ? degradedLine(lang, p.operations, o.degradedAsOf)
    : t(lang, 'site.tagline');
  const page = `${base}${publicPath(lang, 'html')}`;
  const text = (name: string, v: Text) =>
    v.parts?.some((p) => p.lang)
      ? `<${name} type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${v.parts
          .map((p) =>
            p.lang
              ? `<span xml:lang="${p.lang}" lang="${p.lang}">${xml(p.text)}</span> ${xml(p.mark ?? '')}`
              : xml(p.text),
          )
          .join('')}</div></${name}>`
      : `<${name} type="text"${v.lang === lang ? '' : ` xml:lang="${v.lang}"`}>${xml(v.text)}</${name}>`;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}">`,
    `  <id>${xml(tagUri(o.tagAuthority, `feed/${lang}`))}</id>`,
    `  <title type="text">${xml(t(lang, 'site.title'))}</title>`,
    `  <subtitle type="text">${xml(subtitle)}</subtitle>`,
    `  <updated>${updated.toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(`${base}${publicPath(lang, 'atom')}`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xml(page)}"/>`,
    ...LANGUAGES.filter((l) => l !== lang).map(
      (l) =>
        `  <link rel="alternate" type="application/atom+xml" hreflang="${l}" href="${xml(`${base}${publicPath(l, 'atom')}`)}"/>`,
    ),
    feedAuthor(p, lang),
    '  <generator>Corridor</generator>',
    ...entries.flatMap((e) => [
      `  <entry xml:lang="${lang}">`,
      `    <id>${xml(e.id)}</id>`,
      `    ${text('title', e.title)}`,
      `    <updated>${e.updated.toISOString()}</updated>`,
      `    <link rel="alternate" type="text/html" href="${xml(e.href)}"/>`,
      `    ${text('summary', e.summary)}`,
      '  </entry>',
    ]),
    '</feed>',
    '',
  ];
  return lines.join('\n');
}

/** The publishing authority (of the first operation that names one), or the generic name. */
function feedAuthor(p: PublicProjection, lang: Lang): string {
  const publisher = p.operations.find((o) => o.publisher.authority)?.publisher;
  const name = publisher ? localized(publisher.authority!, lang) : t(lang, 'feed.author');
  const uri = publisher?.url ? `<uri>${xml(publisher.url)}</uri>` : '';
  return `  <author><name>${xml(name)}</name>${uri}</author>`;
}

function operationEntries(op: PublicOperation, lang: Lang, authority: string, base: string): Candidate[] {
  const candidates: Candidate[] = [];
  const opName = inLang(op.names, lang);
  // Each public event of the timeline (domain/public-timeline.ts) is an entry, as on the page.
  for (const e of operationTimeline(op)) {
    const id = tagUri(authority, e.id);
    // A departure is news when its publication delay ends.
    const updated =
      e.kind === 'departed' ? new Date(e.at.getTime() + op.publicationDelayMinutes * 60_000) : e.at;
    candidates.push({ id, updated, make: () => eventEntry(e, id, updated) });
  }
  for (const r of op.routes) {
    // Turning stale is news for this route: its entry is updated then, and says so.
    const staleAt = r.stale ? routeStaleFrom(r, op) : null;
    const id = tagUri(authority, `route/${r.id}`);
    const updated = staleAt ?? r.updatedAt;
    candidates.push({ id, updated, make: () => routeEntry(r, id, updated, staleAt) });
  }
  return candidates;

  function eventEntry(e: TimelineEvent, id: string, updated: Date): Entry {
    const shown = presentEvent(e, lang, op.timeZone, [op.workingLanguage]);
    const summary =
      e.kind === 'notice' && e.bodies
        ? contentIn(e.bodies, lang, op.workingLanguage)
        : {
            text: [
              shown.when,
              shown.figure ? `${shown.figure.label}: ${shown.figure.text}` : null,
              shown.source
                ? `${t(lang, 'route.source')}: ${partText(shown.source.outlet)}, ${shown.source.date}`
                : null,
            ]
              .filter(Boolean)
              .join('\n'),
            lang,
          };
    return {
      id,
      title:
        e.kind === 'notice'
          ? { text: `${opName.text}: ${shown.title}`, lang: opName.lang }
          : { text: shown.title, lang, parts: shown.titleParts },
      updated,
      summary,
      href: `${base}${shown.href ?? publicPath(lang, 'html')}`,
    };
  }

  function routeEntry(r: PublicRoute, id: string, updated: Date, staleAt: Date | null): Entry {
    const crossings = r.legs
      .filter((l) => l.crossesBorder)
      .map(
        (l) =>
          `${inLang(l.from.names, lang).text} → ${inLang(l.to.names, lang).text}: ${t(lang, `crossing.${l.crossingStatus ?? 'unknown'}`)}`,
      );
    return {
      id,
      title: inLang(r.names, lang),
      updated,
      summary: {
        text: [
          staleAt ? t(lang, 'route.stale', { count: op.staleAfterHours }) : null,
          asOfLine(lang, op.timeZone, r, r.source?.publishedOn).text,
          partText(optionalPart(r.publicNotes, lang, [op.workingLanguage])),
          ...crossings,
        ]
          .filter(Boolean)
          .join('\n'),
        lang,
      },
      href: `${base}${publicPath(lang, 'html')}#${publicAnchor('route', r.id)}`,
    };
  }
}
