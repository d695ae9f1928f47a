// The staff dashboard: per operation, what needs attention, then every route
// with its movements and their status.
import { MOVEMENT_STATUSES } from '../domain/vocabulary.ts';
import type { AttentionItem, loadDashboard } from '../domain/staff/attention.ts';
import { type Lang, localeOf, localized, nativeName, t } from '../i18n/index.ts';
import { formatDateTime, formatDay, formatFigure } from './format.ts';

type Dashboard = Awaited<ReturnType<typeof loadDashboard>>;

export function presentDashboard(lang: Lang, dashboard: Dashboard, canImport: boolean) {
  return {
    empty: dashboard.length === 0,
    operations: dashboard.map(({ snapshot, attention, statusCounts }) => {
      const tz = snapshot.operation.timeZone;
      const routeName = new Map(snapshot.routes.map((r) => [r.id, localized(r.names, lang)]));
      const movementLabel = new Map(
        snapshot.routes.flatMap((r) => r.movements.map((m) => [m.id, m.label] as const)),
      );
      const describe = (item: AttentionItem) => {
        if (item.kind === 'no_public_contacts')
          return {
            href: `/staff/operations/${item.operationId}/public`,
            text: t(lang, 'ws.attention.no_public_contacts'),
          };
        if (item.kind === 'needs_translation')
          return {
            // The one form with every language of that text.
            href:
              item.movementId !== undefined
                ? `/staff/movements/${item.movementId}#f-label_${item.missing[0]}`
                : item.noticeId !== undefined
                  ? `/staff/operations/${snapshot.operation.id}#notice-${item.noticeId}`
                  : `/staff/routes/${item.routeId}`,
            text: t(lang, `ws.attention.needs_translation.${item.what}`, {
              route: item.routeId !== undefined ? (routeName.get(item.routeId) ?? '') : '',
              movement: item.movementId !== undefined ? (movementLabel.get(item.movementId) ?? '') : '',
              languages: new Intl.ListFormat(localeOf(lang)).format(item.missing.map((l) => nativeName(l))),
            }),
          };
        if (item.kind === 'stale_route')
          return {
            href: `/staff/routes/${item.routeId}`,
            text: t(lang, 'ws.attention.stale_route', {
              route: routeName.get(item.routeId) ?? '',
              since: formatDateTime(lang, item.since, tz),
            }),
          };
        const vars = {
          route: routeName.get(item.routeId) ?? '',
          movement: movementLabel.get(item.movementId) ?? '',
          seats: 'seats' in item ? item.seats : 0,
          people: 'people' in item ? item.people : 0,
          date: 'date' in item ? formatDay(lang, item.date) : '',
          stage: 'stage' in item ? t(lang, `stage.${item.stage}`) : '',
          status: 'status' in item ? t(lang, `movement.status.${item.status}`) : '',
        };
        return {
          href: `/staff/movements/${item.movementId}`,
          text: t(lang, `ws.attention.${item.kind}`, vars),
        };
      };
      return {
        id: snapshot.operation.id,
        name: localized(snapshot.operation.names, lang),
        href: `/staff/operations/${snapshot.operation.id}`,
        exportHref: `/staff/operations/${snapshot.operation.id}/export.csv`,
        importHref: canImport ? `/staff/operations/${snapshot.operation.id}/import` : undefined,
        closed: snapshot.operation.status === 'closed',
        isPublic: snapshot.operation.isPublic,
        attention: attention.map(describe),
        routes: snapshot.routes.map((r) => {
          const counts = statusCounts.find((c) => c.routeId === r.id)!.byStatus;
          return {
            name: localized(r.names, lang),
            href: `/staff/routes/${r.id}`,
            summary: MOVEMENT_STATUSES.filter((s) => counts[s] > 0)
              .map((s) => `${t(lang, `movement.status.${s}`)}: ${counts[s]}`)
              .join(' · '),
            movements: r.movements.map((m) => ({
              label: m.label,
              href: `/staff/movements/${m.id}`,
              date: m.scheduledDate
                ? formatDay(lang, m.scheduledDate)
                : t(lang, 'movement.date_not_reported'),
              status: t(lang, `movement.status.${m.status}`),
              statusClass: m.status,
              delayed: m.delayed,
              figures: t(lang, 'ws.dashboard.figures', {
                registered: formatFigure(lang, m.counts.registered.total),
                departed: formatFigure(lang, m.counts.departed.total),
                arrived: formatFigure(lang, m.counts.arrived.total),
              }),
            })),
          };
        }),
      };
    }),
  };
}
