// The public figures as CSV (RFC 4180), for people and for tools:
// - statusCsv: one row per figure, names in the reader's language, every figure with its
//   sources; a movement's label in the reader's language, else in the language it was
//   written in, with that language in `movement_lang` (a clean cell a tool can use, and
//   never silently another language); a byte-order mark so that spreadsheets read UTF-8
//   ("→", Cyrillic) as such;
// - statusHxl: the same figures one row per place (stages side by side), with an HXL
//   hashtag row under the header (https://hxlstandard.org) so humanitarian tools (HDX,
//   the HXL Proxy, Ushahidi imports) read it without mapping; names in all three
//   languages (+i_kk, +i_ru, +i_en), movement labels too. The tags are documented in docs/public-api.md.
// `updated_at` is the evacuation's time of a row (its figures' as-of, never a write time): an
// instant in UTC when the source gave the time, else the operation's local day alone
// (`2026-03-03`, ISO 8601) — never that day's midnight as an instant, which a reader in
// UTC would take for the day before at a precise time (momentIso, public-as-of.ts).
import type { Localized } from '../../db/schema.ts';
import type {
  PublicFigure,
  PublicOperation,
  PublicProjection,
  PublicRoute,
  PublicSource,
} from '../domain/privacy.ts';
import { LANGUAGES, type Lang, localized } from '../i18n/index.ts';
import { localizedPart, partText, sourceParts } from './localized-part.ts';
import { momentIso } from './public-as-of.ts';

const BOM = '\uFEFF';

/** RFC 4180 quoting; a cell that a spreadsheet would run as a formula is defused. */
function csvCell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csvLine = (cells: (string | number | null)[]) => cells.map(csvCell).join(',');
/** Lines as a file: the byte-order mark, CRLF after every line (RFC 4180). */
const csvFile = (lines: string[]) => `${BOM}${lines.join('\r\n')}\r\n`;

const figureValue = (f: PublicFigure) => (f.kind === 'value' || f.kind === 'at_least' ? f.value : null);
const figureStatus = (f: PublicFigure) => (f.kind === 'fewer_than' ? `fewer_than_${f.threshold}` : f.kind);

/** "Outlet, 2026-03-03 — Title https://…", several joined by " | ". */
function sourcesOf(sources: (PublicSource | null)[], lang: Lang, prefer: readonly Lang[]): string | null {
  const seen = new Map<number, PublicSource>();
  for (const s of sources) if (s) seen.set(s.id, s);
  if (seen.size === 0) return null;
  return [...seen.values()]
    .sort((a, b) => a.id - b.id)
    .map((s) => {
      const { outlet, title } = sourceParts(s, lang, prefer);
      return `${partText(outlet)}, ${s.publishedOn} — ${partText(title)}${s.url ? ` ${s.url}` : ''}`;
    })
    .join(' | ');
}

const routeSources = (r: PublicRoute) => [
  r.source,
  ...r.movements.flatMap((m) => (m.published ? [m.source] : [])),
];

/** One place a figure belongs to (the operation, a group, a day, a route or a movement). */
type Place = {
  level: 'operation' | 'group' | 'day' | 'route' | 'movement';
  op: PublicOperation;
  route?: PublicRoute;
  movement?: Localized;
  group?: string;
  date?: string | null;
  figures: [stage: string, figure: PublicFigure][];
  stale?: boolean;
  /** `updated_at`: an ISO instant, or the local day alone when the source gave no time. */
  updatedAt: string;
  sources: string | null;
};

/**
 * Whether the operation's last update (`lastUpdatedAt`: the latest of its routes' times,
 * its figures' as-of and its notices' publication) is a time the source gave: a route
 * dated by its report, or figures reported by their day, give a day only.
 */
function lastUpdateTimeKnown(op: PublicOperation): boolean {
  const at = op.lastUpdatedAt.getTime();
  return [
    ...op.routes.map((r) => ({ at: r.updatedAt, known: r.figuresAsOf !== null && r.figuresAsOfTimeKnown })),
    ...(op.figuresAsOf ? [{ at: op.figuresAsOf, known: op.figuresAsOfTimeKnown }] : []),
    ...op.notices.map((n) => ({ at: n.publishedAt, known: true })),
  ].some((c) => c.known && c.at.getTime() === at);
}

/** Sources in `lang` (each outlet and title marked where it is in another language). */
function places(p: PublicProjection, lang: Lang): Place[] {
  const out: Place[] = [];
  for (const op of p.operations) {
    const prefer = [op.workingLanguage];
    const sourcesText = (sources: (PublicSource | null)[]) => sourcesOf(sources, lang, prefer);
    // Operation, group and day rows: the reports the totals rest on (each movement's latest change).
    const opSources = sourcesText(op.totalsSources);
    const when = (at: Date, timeKnown: boolean) => momentIso(at, timeKnown, op.timeZone);
    const base = { op, updatedAt: when(op.lastUpdatedAt, lastUpdateTimeKnown(op)), sources: opSources };
    out.push({ ...base, level: 'operation', figures: Object.entries(op.totals) });
    for (const g of op.groups)
      out.push({ ...base, level: 'group', group: g.group, figures: Object.entries(g.figures) });
    for (const d of op.arrivalsByDay)
      out.push({ ...base, level: 'day', date: d.day, figures: [['arrived', d.arrived]] });
    if (op.arrivalsUndated) out.push({ ...base, level: 'day', figures: [['arrived', op.arrivalsUndated]] });
    for (const r of op.routes) {
      out.push({
        level: 'route',
        op,
        route: r,
        figures: Object.entries(r.figures),
        stale: r.stale,
        // Dated by its report (no published figures): the report's day.
        updatedAt: when(r.updatedAt, r.figuresAsOf !== null && r.figuresAsOfTimeKnown),
        sources: sourcesText(routeSources(r)),
      });
      for (const m of r.movements) {
        if (!m.published) continue;
        out.push({
          level: 'movement',
          op,
          route: r,
          movement: m.labels,
          date: m.scheduledDate,
          figures: Object.entries(m.figures),
          stale: r.stale,
          updatedAt: when(m.updatedAt, m.figuresAsOfTimeKnown),
          sources: sourcesText([m.source ?? r.source]),
        });
      }
    }
  }
  return out;
}

export const CSV_COLUMNS = [
  'level',
  'operation',
  'operation_name',
  'route',
  'route_name',
  'movement',
  'movement_lang',
  'group',
  'date',
  'stage',
  'value',
  'status',
  'stale',
  'updated_at',
  'sources',
] as const;

const yesNo = (b: boolean | undefined) => (b === undefined ? null : b ? 'yes' : 'no');

/**
 * One row per figure; names in `lang`. A place's cells (names, label, sources: the longest)
 * are quoted once and shared by its stages' rows: at 1,000 movements that was five times
 * the quoting of 5,000 rows, for the same bytes.
 */
export function statusCsv(p: PublicProjection, lang: Lang): string {
  const lines = [csvLine([...CSV_COLUMNS])];
  for (const x of places(p, lang)) {
    const label = x.movement ? localizedPart(x.movement, lang, [x.op.workingLanguage]) : null;
    const before = csvLine([
      x.level,
      x.op.slug,
      localized(x.op.names, lang),
      x.route?.slug ?? null,
      x.route ? localized(x.route.names, lang) : null,
      label?.text || null,
      label?.text ? (label.lang ?? lang) : null,
      x.group ?? null,
      x.date ?? null,
    ]);
    const after = csvLine([yesNo(x.stale), x.updatedAt, x.sources]);
    for (const [stage, f] of x.figures)
      lines.push(`${before},${csvLine([stage, figureValue(f), figureStatus(f)])},${after}`);
  }
  return csvFile(lines);
}

const STAGES = ['registered', 'waiting', 'departed', 'arrived', 'onTheWay', 'stageNotReported'] as const;
/** A stage's name in a column header or an HXL attribute. */
const snake = (s: (typeof STAGES)[number]) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const names = (column: string, tag: string) =>
  LANGUAGES.map((l) => [`${column}_${l}`, `${tag}+i_${l}`] as const);

/** [header, HXL hashtag] per column of the HXL variant. */
export const HXL_COLUMNS: readonly (readonly [string, string])[] = [
  ['level', '#meta+level'],
  ['operation', '#crisis+code'],
  ...names('operation_name', '#crisis+name'),
  ['route', '#activity+code'],
  ...names('route_name', '#activity+name'),
  ['origin_country', '#country+code+v_iso2'],
  ...names('movement', '#activity+movement+name'),
  ['group', '#meta+group'],
  ['date', '#date'],
  // Each stage's figure, then each one's status. On the operation row `registered` is the
  // headline total (on lists, on the way or home), and stage_not_reported (the headline's
  // bucket) makes it add up: registered = waiting + on the way + arrived + stage not reported.
  ...STAGES.map((s) => [snake(s), `#affected+${snake(s)}`] as const),
  ...STAGES.map((s) => [`${snake(s)}_status`, `#status+${snake(s)}`] as const),
  ['stale', '#status+stale'],
  ['updated_at', '#date+updated'],
  ['sources', '#meta+source'],
];

/**
 * One row per place, the stages side by side, with the HXL hashtag row. Names and
 * labels in a column per language (empty where untranslated); sources in English.
 */
export function statusHxl(p: PublicProjection): string {
  const rows: (string | number | null)[][] = [HXL_COLUMNS.map(([h]) => h), HXL_COLUMNS.map(([, tag]) => tag)];
  const each = (text: Localized) => LANGUAGES.map((l) => text[l]?.trim() || null);
  for (const x of places(p, 'en')) {
    const byStage = new Map(x.figures);
    const stage = (s: (typeof STAGES)[number]) => byStage.get(s);
    rows.push([
      x.level,
      x.op.slug,
      ...each(x.op.names),
      x.route?.slug ?? null,
      ...(x.route ? each(x.route.names) : LANGUAGES.map(() => null)),
      x.route?.legs[0]?.from.countryCode ?? null,
      ...(x.movement ? each(x.movement) : LANGUAGES.map(() => null)),
      x.group ?? null,
      x.date ?? null,
      ...STAGES.map((s) => {
        const f = stage(s);
        return f ? figureValue(f) : null;
      }),
      ...STAGES.map((s) => {
        const f = stage(s);
        return f ? figureStatus(f) : null;
      }),
      yesNo(x.stale),
      x.updatedAt,
      x.sources,
    ]);
  }
  return csvFile(rows.map(csvLine));
}
