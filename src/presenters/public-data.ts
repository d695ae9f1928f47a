// The machine-readable public outputs: JSON (GET /api/v1/status), Atom and CSV.
// All three are views of the same PublicProjection as the page.
import type { PublicFigure, PublicMovement, PublicOperation, PublicProjection } from '../domain/privacy.ts';
import { type Lang, localized, t } from '../i18n/index.ts';
import { formatDay } from './format.ts';
import { figureText } from './public-format.ts';

export const API_VERSION = 1;

type JsonFigure =
  | { status: 'value'; value: number }
  | { status: 'not_reported'; value: null }
  | { status: 'fewer_than'; value: null; threshold: number }
  | { status: 'withheld'; value: null };

export function jsonFigure(f: PublicFigure): JsonFigure {
  if (f.kind === 'value') return { status: 'value', value: f.value };
  if (f.kind === 'fewer_than') return { status: 'fewer_than', value: null, threshold: f.threshold };
  return { status: f.kind, value: null };
}

const stages = (f: Record<'registered' | 'departed' | 'arrived', PublicFigure>) => ({
  registered: jsonFigure(f.registered),
  departed: jsonFigure(f.departed),
  arrived: jsonFigure(f.arrived),
});

export function statusJson(p: PublicProjection, meta: { degradedAsOf?: Date }) {
  return {
    version: API_VERSION,
    lastUpdatedAt: p.lastUpdatedAt.toISOString(),
    /** The database could not be read: these are the figures as of `figuresAsOf`. */
    degraded: meta.degradedAsOf !== undefined,
    figuresAsOf: meta.degradedAsOf?.toISOString() ?? null,
    operations: p.operations.map((op) => ({
      slug: op.slug,
      names: op.names,
      timeZone: op.timeZone,
      status: op.status,
      lastUpdatedAt: op.lastUpdatedAt.toISOString(),
      smallCountThreshold: op.threshold,
      publicationDelayMinutes: op.publicationDelayMinutes,
      staleAfterHours: op.staleAfterHours,
      totals: {
        registered: jsonFigure(op.totals.registered),
        waiting: jsonFigure(op.totals.waiting),
        departed: jsonFigure(op.totals.departed),
        arrived: jsonFigure(op.totals.arrived),
        onTheWay: jsonFigure(op.totals.onTheWay),
      },
      groups: op.groups.map((g) => ({ group: g.group, ...stages(g.figures) })),
      arrivalsByDay: op.arrivalsByDay.map((d) => ({ date: d.day, arrived: jsonFigure(d.arrived) })),
      arrivalsUndated: op.arrivalsUndated ? jsonFigure(op.arrivalsUndated) : null,
      nextDepartures: op.nextDepartures.map((d) => ({
        route: op.routes.find((r) => r.id === d.routeId)?.slug ?? null,
        date: d.scheduledDate,
        overdue: d.overdue,
      })),
      notices: op.notices.map((n) => ({
        id: n.id,
        text: n.bodies,
        pinned: n.pinned,
        publishedAt: n.publishedAt.toISOString(),
      })),
      routes: op.routes.map((r) => ({
        slug: r.slug,
        names: r.names,
        note: r.publicNote,
        source: r.source?.id ?? null,
        updatedAt: r.updatedAt.toISOString(),
        stale: r.stale,
        totals: stages(r.figures),
        legs: r.legs.map((l) => ({
          position: l.position,
          from: l.from,
          to: l.to,
          mode: l.mode,
          crossesBorder: l.crossesBorder,
          crossingStatus: l.crossingStatus,
        })),
        movements: r.movements.map(jsonMovement),
      })),
      sources: op.sources.map((s) => ({
        id: s.id,
        title: s.title,
        outlet: s.outlet,
        publishedOn: s.publishedOn,
        language: s.language,
        url: s.url,
      })),
      publisher: { names: op.publisher.authority, url: op.publisher.url },
      lead: op.publisher.lead,
      contacts: op.contacts.map((c) => ({
        id: c.id,
        kind: c.kind,
        country: c.countryCode,
        names: c.names,
        phone: c.phone,
        email: c.email,
        url: c.url,
        address: c.address,
        hours: c.hours,
        checkedOn: c.checkedOn,
      })),
    })),
  };
}

function jsonMovement(m: PublicMovement) {
  if (!m.published) return { published: false, id: m.id, status: m.status, date: m.scheduledDate };
  return {
    published: true,
    id: m.id,
    label: m.label,
    kind: m.kind,
    status: m.status,
    delayed: m.delayed,
    date: m.scheduledDate,
    departedAt: m.departedAt?.toISOString() ?? null,
    arrivedAt: m.arrivedAt?.toISOString() ?? null,
    updatedAt: m.updatedAt.toISOString(),
    note: m.publicNote,
    source: m.source?.id ?? null,
    figures: stages(m.figures),
  };
}

// ---- Atom ----------------------------------------------------------------

/** Characters XML 1.0 does not allow at all (most C0 controls, lone surrogates, U+FFFE/F). */
const NOT_XML = new RegExp(
  // eslint-disable-next-line no-control-regex -- the point is to strip control characters
  '[^\\u0009\\u000a\\u000d\\u0020-\\ud7ff\\ue000-\\ufffd\\u{10000}-\\u{10ffff}]',
  'gu',
);

const xml = (s: string) =>
  s
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

type Entry = { id: string; title: string; updated: Date; summary: string; link: string };

export function statusAtom(p: PublicProjection, lang: Lang, baseUrl: string, meta: { degradedAsOf?: Date }) {
  const base = baseUrl.replace(/\/+$/, '');
  const page = `${base}/?lang=${lang}`;
  const entries: Entry[] = [];
  for (const op of p.operations) entries.push(...operationEntries(op, lang, base, page));
  entries.sort((a, b) => b.updated.getTime() - a.updated.getTime() || a.id.localeCompare(b.id));
  const updated = entries[0]?.updated ?? p.lastUpdatedAt;
  const subtitle = meta.degradedAsOf
    ? t(lang, 'status.degraded', { time: meta.degradedAsOf.toISOString() })
    : t(lang, 'site.tagline');
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}">`,
    `  <title>${xml(t(lang, 'site.title'))}</title>`,
    `  <subtitle>${xml(subtitle)}</subtitle>`,
    `  <id>${xml(`${base}/feed.atom?lang=${lang}`)}</id>`,
    `  <updated>${updated.toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(`${base}/feed.atom?lang=${lang}`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xml(page)}"/>`,
    feedAuthor(p, lang),
    '  <generator>Corridor</generator>',
    ...entries
      .slice(0, 100)
      .flatMap((e) => [
        '  <entry>',
        `    <id>${xml(e.id)}</id>`,
        `    <title>${xml(e.title)}</title>`,
        `    <updated>${e.updated.toISOString()}</updated>`,
        `    <link rel="alternate" type="text/html" href="${xml(e.link)}"/>`,
        `    <summary type="text">${xml(e.summary)}</summary>`,
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

function operationEntries(op: PublicOperation, lang: Lang, base: string, page: string): Entry[] {
  const entries: Entry[] = [];
  const opName = localized(op.names, lang);
  for (const n of op.notices) {
    entries.push({
      id: `${base}/notices/${n.id}`,
      title: `${opName}: ${t(lang, 'notices.title')}`,
      updated: n.publishedAt,
      summary: localized(n.bodies, lang),
      link: page,
    });
  }
  for (const r of op.routes) {
    const routeName = localized(r.names, lang);
    const crossings = r.legs
      .filter((l) => l.crossesBorder)
      .map(
        (l) =>
          `${localized(l.from.names, lang)} → ${localized(l.to.names, lang)}: ${t(lang, `crossing.${l.crossingStatus ?? 'unknown'}`)}`,
      );
    entries.push({
      id: `${base}/routes/${op.slug}/${r.slug}`,
      title: routeName,
      updated: r.updatedAt,
      summary: [r.publicNote, ...crossings].filter(Boolean).join('\n'),
      link: page,
    });
    for (const m of r.movements) {
      if (!m.published) continue;
      const figures = (['registered', 'departed', 'arrived'] as const)
        .map((s) => `${t(lang, `stage.${s}`)}: ${figureText(lang, m.figures[s])}`)
        .join('; ');
      const date = m.scheduledDate ? formatDay(lang, m.scheduledDate) : t(lang, 'movement.date_not_reported');
      entries.push({
        id: `${base}/movements/${m.id}`,
        title: `${m.label} — ${t(lang, `movement.status.${m.status}`)}`,
        updated: m.updatedAt,
        summary: `${routeName}. ${date}. ${figures}.${m.publicNote ? `\n${m.publicNote}` : ''}`,
        link: page,
      });
    }
  }
  return entries;
}

// ---- CSV -----------------------------------------------------------------

const CSV_COLUMNS = [
  'level',
  'operation',
  'route',
  'route_name',
  'movement',
  'group',
  'date',
  'stage',
  'value',
  'status',
  'updated_at',
] as const;

/** RFC 4180 quoting; a cell that a spreadsheet would run as a formula is defused. */
function csvCell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function statusCsv(p: PublicProjection): string {
  const rows: (string | number | null)[][] = [[...CSV_COLUMNS]];
  const row = (r: Partial<Record<(typeof CSV_COLUMNS)[number], string | number | null>>, f: PublicFigure) =>
    rows.push(
      CSV_COLUMNS.map((c) =>
        c === 'value'
          ? f.kind === 'value'
            ? f.value
            : null
          : c === 'status'
            ? csvStatus(f)
            : (r[c] ?? null),
      ),
    );
  for (const op of p.operations) {
    const o = { operation: op.slug, updated_at: op.lastUpdatedAt.toISOString() };
    for (const [stage, f] of Object.entries(op.totals)) row({ ...o, level: 'operation', stage }, f);
    for (const g of op.groups)
      for (const [stage, f] of Object.entries(g.figures))
        row({ ...o, level: 'group', group: g.group, stage }, f);
    for (const d of op.arrivalsByDay) row({ ...o, level: 'day', date: d.day, stage: 'arrived' }, d.arrived);
    if (op.arrivalsUndated) row({ ...o, level: 'day', stage: 'arrived' }, op.arrivalsUndated);
    for (const r of op.routes) {
      const base = {
        operation: op.slug,
        route: r.slug,
        route_name: r.names.en,
        updated_at: r.updatedAt.toISOString(),
      };
      for (const [stage, f] of Object.entries(r.figures)) row({ ...base, level: 'route', stage }, f);
      for (const m of r.movements) {
        if (!m.published) continue;
        for (const [stage, f] of Object.entries(m.figures)) {
          row(
            {
              ...base,
              level: 'movement',
              movement: m.label,
              date: m.scheduledDate,
              stage,
              updated_at: m.updatedAt.toISOString(),
            },
            f,
          );
        }
      }
    }
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvStatus(f: PublicFigure): string {
  return f.kind === 'fewer_than' ? `fewer_than_${f.threshold}` : f.kind;
}
