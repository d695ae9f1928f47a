// The staff dashboard: per operation, what needs attention (the first
// ATTENTION_SHOWN items; the rest are one click away as the "needs attention"
// filter) and every route on one line with its movements counted by status;
// then one page of movements filtered by route and status, with plain links
// for the pages (no script: it works on a phone).
import { MOVEMENT_STATUSES } from '../domain/vocabulary.ts';
import type { AttentionItem } from '../domain/staff/attention.ts';
import {
  DASHBOARD_ATTENTION_SHOWN,
  DASHBOARD_PAGE_SIZE,
  type Dashboard,
  type DashboardFilter,
  type DashboardOperation,
  type DashboardRow,
} from '../domain/staff/dashboard.ts';
import { type Lang, formatNumber, localeOf, localized, nativeName, t } from '../i18n/index.ts';
import { formatDateTime, formatDay as formatDayOnce, formatFigure } from './format.ts';
import { sourceHref, sourceName } from './ws-sources.ts';
import { movementLabel } from './ws-labels.ts';

// A page shows few distinct days many times; each formatDay makes an Intl formatter.
const dayTexts = new Map<string, string>();
function formatDay(lang: Lang, day: string): string {
  const key = `${lang}:${day}`;
  let text = dayTexts.get(key);
  if (text === undefined) {
    if (dayTexts.size > 5_000) dayTexts.clear();
    text = formatDayOnce(lang, day);
    dayTexts.set(key, text);
  }
  return text;
}

/** Items listed per operation (the use case reads no more); past it, one line links to the filtered list. */
export const ATTENTION_SHOWN = DASHBOARD_ATTENTION_SHOWN;

/** The dashboard's address with these filters (page 1 and empty filters left out). */
export function dashboardHref(filter: DashboardFilter): string {
  const q = new URLSearchParams();
  if (filter.routeId !== undefined) q.set('route', String(filter.routeId));
  if (filter.status !== undefined) q.set('status', filter.status);
  if (filter.page > 1) q.set('page', String(filter.page));
  const query = q.toString();
  return `/staff/${query ? `?${query}` : ''}#movements`;
}

type Names = {
  route: Map<number, string>;
  movement: Map<number, string>;
  source: Map<number, string>;
  tz: string;
  operationId: number;
  list: Intl.ListFormat;
};

function describe(lang: Lang, item: AttentionItem, names: Names): { href: string; text: string } {
  if (item.kind === 'public_not_updated')
    return {
      href: `/staff/operations/${item.operationId}`,
      text: t(lang, 'ws.attention.public_not_updated', {
        since: formatDateTime(lang, item.since, names.tz),
      }),
    };
  if (item.kind === 'no_public_contacts')
    return {
      href: `/staff/operations/${item.operationId}/public`,
      text: t(lang, 'ws.attention.no_public_contacts'),
    };
  if (item.kind === 'needs_translation')
    return {
      // The one form with every language of that text.
      href:
        item.sourceId !== undefined
          ? sourceHref(item.sourceId)
          : item.movementId !== undefined
            ? `/staff/movements/${item.movementId}#f-label_${item.missing[0]}`
            : item.noticeId !== undefined
              ? `/staff/operations/${names.operationId}#notice-${item.noticeId}`
              : `/staff/routes/${item.routeId}`,
      text: t(lang, `ws.attention.needs_translation.${item.what}`, {
        route: item.routeId !== undefined ? (names.route.get(item.routeId) ?? '') : '',
        movement: item.movementId !== undefined ? (names.movement.get(item.movementId) ?? '') : '',
        source: item.sourceId !== undefined ? (names.source.get(item.sourceId) ?? '') : '',
        languages: names.list.format(item.missing.map((l) => nativeName(l))),
      }),
    };
  if (item.kind === 'stale_route')
    return {
      href: `/staff/routes/${item.routeId}`,
      text: t(lang, 'ws.attention.stale_route', {
        route: names.route.get(item.routeId) ?? '',
        since: formatDateTime(lang, item.since, names.tz),
      }),
    };
  const vars = {
    route: names.route.get(item.routeId) ?? '',
    movement: names.movement.get(item.movementId) ?? '',
    seats: 'seats' in item ? item.seats : 0,
    people: 'people' in item ? item.people : 0,
    date: 'date' in item ? formatDay(lang, item.date) : '',
    stage: 'stage' in item ? t(lang, `stage.${item.stage}`) : '',
    status: 'status' in item ? t(lang, `movement.status.${item.status}`) : '',
  };
  return { href: `/staff/movements/${item.movementId}`, text: t(lang, `ws.attention.${item.kind}`, vars) };
}

function namesOf(lang: Lang, op: DashboardOperation): Names {
  return {
    route: new Map(op.routes.map((r) => [r.id, localized(r.names, lang)])),
    movement: new Map([...op.movementLabels].map(([id, m]) => [id, movementLabel(m, lang)])),
    source: new Map([...op.sources.values()].map((x) => [x.id, sourceName(lang, x)])),
    tz: op.operation.timeZone,
    operationId: op.operation.id,
    list: new Intl.ListFormat(localeOf(lang)),
  };
}

function presentMovement(lang: Lang, row: DashboardRow, notes: string[]) {
  const m = row.movement;
  return {
    label: movementLabel(m, lang),
    href: `/staff/movements/${m.id}`,
    route: localized(row.route.names, lang),
    routeHref: `/staff/routes/${row.route.id}`,
    date: m.scheduledDate ? formatDay(lang, m.scheduledDate) : t(lang, 'movement.date_not_reported'),
    status: t(lang, `movement.status.${m.status}`),
    statusClass: m.status,
    delayed: m.delayed,
    figures: t(lang, 'ws.dashboard.figures', {
      registered: formatFigure(lang, m.totals.registered),
      departed: formatFigure(lang, m.totals.departed),
      arrived: formatFigure(lang, m.totals.arrived),
    }),
    notes,
  };
}

function presentFilters(lang: Lang, dashboard: Dashboard) {
  const { filter } = dashboard;
  const several = dashboard.operations.length > 1;
  return {
    routeGroups: dashboard.operations.map(({ operation, routes }) => ({
      label: several ? localized(operation.names, lang) : '',
      routes: routes.map((r) => ({
        value: r.id,
        name: localized(r.names, lang),
        selected: r.id === filter.routeId,
      })),
    })),
    statuses: [
      {
        value: 'attention',
        name: t(lang, 'ws.dashboard.filter.attention'),
        selected: filter.status === 'attention',
      },
      ...MOVEMENT_STATUSES.map((s) => ({
        value: s,
        name: t(lang, `movement.status.${s}`),
        selected: filter.status === s,
      })),
    ],
  };
}

function presentPage(lang: Lang, dashboard: Dashboard, notesOf: (movementId: number) => string[]) {
  const { filter, movements } = dashboard;
  const { page, pages, total } = movements;
  const from = total === 0 ? 0 : (page - 1) * DASHBOARD_PAGE_SIZE + 1;
  return {
    count: t(lang, 'ws.dashboard.count', {
      total,
      from: formatNumber(lang, from),
      to: formatNumber(lang, from + movements.rows.length - 1),
    }),
    rows: movements.rows.map((row) => presentMovement(lang, row, notesOf(row.movement.id))),
    pager:
      pages > 1
        ? {
            text: t(lang, 'ws.dashboard.page', { page, pages }),
            previous: page > 1 ? dashboardHref({ ...filter, page: page - 1 }) : undefined,
            next: page < pages ? dashboardHref({ ...filter, page: page + 1 }) : undefined,
          }
        : undefined,
    filtered: filter.routeId !== undefined || filter.status !== undefined,
  };
}

export function presentDashboard(lang: Lang, dashboard: Dashboard, canImport: boolean) {
  const notes = new Map<number, string[]>();
  const operations = dashboard.operations.map((op) => {
    const { operation, attention } = op;
    const names = namesOf(lang, op);
    // Only what is shown is worded: the first items, and the notes of the movements on this page.
    const described = attention.items.slice(0, ATTENTION_SHOWN).map((item) => describe(lang, item, names));
    for (const row of dashboard.movements.rows)
      if (row.operationId === operation.id)
        notes.set(
          row.movement.id,
          (dashboard.movements.notes.get(row.movement.id) ?? []).map(
            (item) => describe(lang, item, names).text,
          ),
        );
    const more = attention.total - ATTENTION_SHOWN;
    return {
      id: operation.id,
      name: localized(operation.names, lang),
      href: `/staff/operations/${operation.id}`,
      exportHref: `/staff/operations/${operation.id}/export.csv`,
      importHref: canImport ? `/staff/operations/${operation.id}/import` : undefined,
      closed: operation.status === 'closed',
      isPublic: operation.isPublic,
      attentionCount: formatNumber(lang, attention.total),
      attention: described,
      attentionMore:
        more > 0
          ? {
              text: t(lang, 'ws.attention.more', { count: more }),
              href: dashboardHref({ status: 'attention', page: 1 }),
            }
          : undefined,
      routes: op.routes.map((r) => ({
        name: localized(r.names, lang),
        href: `/staff/routes/${r.id}`,
        movementsHref: dashboardHref({ routeId: r.id, page: 1 }),
        summary:
          MOVEMENT_STATUSES.filter((s) => r.byStatus[s] > 0)
            .map((s) => `${t(lang, `movement.status.${s}`)}: ${formatNumber(lang, r.byStatus[s])}`)
            .join(' · ') || t(lang, 'route.no_movements'),
        flagged: r.flagged
          ? {
              text: t(lang, 'ws.dashboard.route_attention', { count: r.flagged }),
              href: dashboardHref({ routeId: r.id, status: 'attention', page: 1 }),
            }
          : undefined,
      })),
    };
  });
  return {
    empty: dashboard.operations.length === 0,
    operations,
    filters: presentFilters(lang, dashboard),
    movements: presentPage(lang, dashboard, (id) => notes.get(id) ?? []),
  };
}
