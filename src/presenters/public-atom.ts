// The Atom feed (RFC 4287), one per language: an entry per route, published movement
// and notice. Ids are tag: URIs (RFC 4151) made from TAG_AUTHORITY and the record's
// kind and number — independent of the address the site is served from, the same in
// every language's feed for the same entry, which differs there only in its language
// (xml:lang). Each entry links to its own anchor on the page in that language.
import type { PublicOperation, PublicProjection } from '../domain/privacy.ts';
import type { LocalizedText } from '../../db/schema.ts';
import { LANGUAGES, type Lang, localized, t } from '../i18n/index.ts';
import { publicAnchor, publicPath } from '../public/urls.ts';
import { formatDay } from './format.ts';
import { figureText } from './public-format.ts';
import { type Part, type QuotePart, localizedPart, optionalPart, optionalQuote } from './localized-part.ts';

const HOUR = 3_600_000;

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
 * A text as runs, each in the entry's language or in its own (`lang`): staff-written
 * content without a translation keeps its language and its "(in English)" mark.
 */
type Run = { text: string; lang?: string };
type Text = Run[];
/** A name (falls back to English, marked by its language). */
const inLang = (names: LocalizedText, lang: Lang): Run =>
  names[lang] ? { text: names[lang] } : { text: names.en, lang: 'en' };
/** Content: in the reader's language, or in its own followed by the mark. */
const runs = (part: Part | null): Text =>
  !part
    ? []
    : part.lang
      ? [{ text: part.text, lang: part.lang }, { text: ` ${part.mark}` }]
      : [{ text: part.text }];
/** A quotation: its words in the reader's language, then the original in its own. */
const quoteRuns = (quote: QuotePart | null): Text =>
  !quote
    ? []
    : [
        ...runs(quote),
        ...(quote.original
          ? [{ text: ' (' }, { text: quote.original.text, lang: quote.original.lang }, { text: ')' }]
          : []),
      ];
const joinText = (texts: Text[], separator: string): Text =>
  texts.filter((x) => x.length > 0).flatMap((x, i) => (i === 0 ? x : [{ text: separator }, ...x]));

type Entry = { id: string; title: Text; updated: Date; summary: Text; anchor: string };

/**
 * An Atom text construct: plain text when it is all in the entry's language (or all in
 * one other, with xml:lang), XHTML with a span per foreign run otherwise.
 */
function textConstruct(name: string, value: Text, lang: Lang): string {
  const foreign = value.filter((r) => r.lang && r.lang !== lang);
  if (foreign.length === 0) return `<${name} type="text">${xml(value.map((r) => r.text).join(''))}</${name}>`;
  if (value.length === 1)
    return `<${name} type="text" xml:lang="${xml(foreign[0]!.lang!)}">${xml(value[0]!.text)}</${name}>`;
  const body = value
    .map((r) =>
      r.lang && r.lang !== lang
        ? `<span xml:lang="${xml(r.lang)}" lang="${xml(r.lang)}">${xml(r.text)}</span>`
        : xml(r.text).replace(/\n/g, '<br/>'),
    )
    .join('');
  return `<${name} type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${body}</div></${name}>`;
}

export type FeedOptions = { baseUrl: string; tagAuthority: string; degradedAsOf?: Date };

/** tag:<authority>:<specific> — `specific` is e.g. route/3; stable for as long as the record lives. */
export const tagUri = (tagAuthority: string, specific: string) => `tag:${tagAuthority}:${specific}`;

export function statusAtom(p: PublicProjection, lang: Lang, o: FeedOptions): string {
  const base = o.baseUrl.replace(/\/+$/, '');
  const entries = p.operations.flatMap((op) => operationEntries(op, lang, o.tagAuthority));
  // The same order in every language: by time, then by id.
  entries.sort((a, b) => b.updated.getTime() - a.updated.getTime() || a.id.localeCompare(b.id));
  const updated = entries[0]?.updated ?? p.lastUpdatedAt;
  const subtitle = o.degradedAsOf
    ? t(lang, 'status.degraded', { time: o.degradedAsOf.toISOString() })
    : t(lang, 'site.tagline');
  const page = `${base}${publicPath(lang, 'html')}`;
  const text = (name: string, v: Text) => textConstruct(name, v, lang);
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
    ...entries
      .slice(0, 100)
      .flatMap((e) => [
        `  <entry xml:lang="${lang}">`,
        `    <id>${xml(e.id)}</id>`,
        `    ${text('title', e.title)}`,
        `    <updated>${e.updated.toISOString()}</updated>`,
        `    <link rel="alternate" type="text/html" href="${xml(`${page}#${e.anchor}`)}"/>`,
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

function operationEntries(op: PublicOperation, lang: Lang, authority: string): Entry[] {
  const entries: Entry[] = [];
  const opName = inLang(op.names, lang);
  const prefer = [op.workingLanguage];
  for (const n of op.notices) {
    entries.push({
      id: tagUri(authority, `notice/${n.id}`),
      title: [opName, { text: `: ${t(lang, 'notices.title')}` }],
      updated: n.publishedAt,
      summary: runs(localizedPart(n.bodies, lang, prefer)),
      anchor: publicAnchor('notice', n.id),
    });
  }
  for (const r of op.routes) {
    const routeName = inLang(r.names, lang);
    const crossings = r.legs
      .filter((l) => l.crossesBorder)
      .map(
        (l) =>
          `${inLang(l.from.names, lang).text} → ${inLang(l.to.names, lang).text}: ${t(lang, `crossing.${l.crossingStatus ?? 'unknown'}`)}`,
      )
      .map((text): Text => [{ text }]);
    // Turning stale is news for this route: its entry is updated then, and says so.
    const staleAt = r.stale ? new Date(r.updatedAt.getTime() + op.staleAfterHours * HOUR) : null;
    entries.push({
      id: tagUri(authority, `route/${r.id}`),
      title: [routeName],
      updated: staleAt ?? r.updatedAt,
      summary: joinText(
        [
          staleAt ? [{ text: t(lang, 'route.stale', { count: op.staleAfterHours }) }] : [],
          runs(optionalPart(r.publicNotes, lang, prefer)),
          quoteRuns(optionalQuote(r.publicQuote, lang)),
          ...r.legs.map((l) => runs(optionalPart(l.publicNotes, lang, prefer))),
          ...crossings,
        ],
        '\n',
      ),
      anchor: publicAnchor('route', r.id),
    });
    for (const m of r.movements) {
      if (!m.published) continue;
      const figures = (['registered', 'departed', 'arrived'] as const)
        .map((s) => `${t(lang, `stage.${s}`)}: ${figureText(lang, m.figures[s])}`)
        .join('; ');
      const date = m.scheduledDate ? formatDay(lang, m.scheduledDate) : t(lang, 'movement.date_not_reported');
      const publishedAt = new Date(
        (m.departedAt ?? m.updatedAt).getTime() + op.publicationDelayMinutes * 60_000,
      );
      entries.push({
        id: tagUri(authority, `movement/${m.id}`),
        title: [
          ...runs(localizedPart(m.labels, lang, prefer)),
          { text: ` — ${t(lang, `movement.status.${m.status}`)}` },
        ],
        // Public from the end of its delay: an earlier edit is news only then.
        updated: publishedAt > m.updatedAt ? publishedAt : m.updatedAt,
        summary: joinText(
          [
            [routeName, { text: `. ${date}. ${figures}.` }],
            runs(optionalPart(m.publicNotes, lang, prefer)),
            quoteRuns(optionalQuote(m.publicQuote, lang)),
          ],
          '\n',
        ),
        anchor: publicAnchor('movement', m.id),
      });
    }
  }
  return entries;
}
