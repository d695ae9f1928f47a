// Page models of an evacuation route (its legs with their crossings, its movements, its
// details and the new-leg form), of one leg, and of the new-route form when it was refused.
import type { loadLegPage, loadOperationPage, loadRoutePage } from '../domain/staff/reads.ts';
import { type Lang, localized, t } from '../i18n/index.ts';
import { formatDay, formatFigure } from './format.ts';
import * as P from './ws-catalog.ts';
import { pageHeader, presentRecordPage } from './ws-record-page.ts';
import { crumbs } from './ws-movement.ts';
import { movementLabel } from './ws-labels.ts';

type RoutePage = Awaited<ReturnType<typeof loadRoutePage>>;
type LegPage = Awaited<ReturnType<typeof loadLegPage>>;
type OperationPage = Awaited<ReturnType<typeof loadOperationPage>>;
/** What the signed-in user may do here. */
export type RouteRights = { officer: boolean; admin: boolean };
/** The "saved" note, or the form that was refused. */
type Shown = { saved?: string; focus?: P.Focus };

export function presentNewRoutePage(
  lang: Lang,
  operation: OperationPage['operation'],
  sources: OperationPage['sources'],
  focus: P.Focus,
) {
  return {
    ...pageHeader(lang, { title: t(lang, 'ws.routes.new'), crumbs: crumbs(lang, operation), focus }),
    forms: [
      P.form(
        lang,
        'route',
        {
          action: `/staff/operations/${operation.id}/routes`,
          specs: P.routeFields(lang, sources, operation.workingLanguage),
          values: {},
          submit: t(lang, 'ws.create'),
        },
        focus,
      ),
    ],
  };
}

export function presentRoutePage(lang: Lang, page: RoutePage, can: RouteRights, shown: Shown) {
  const { route, operation } = page;
  const { focus } = shown;
  return {
    ...pageHeader(lang, { title: localized(route.names, lang), crumbs: crumbs(lang, operation), ...shown }),
    links: can.officer
      ? [{ href: `/staff/routes/${route.id}/movements/new`, label: t(lang, 'ws.movement.new') }]
      : [],
    lists: [
      {
        title: t(lang, 'route.legs'),
        empty: t(lang, 'ws.legs.empty'),
        items: page.legs.map((l) => ({
          label: `${l.position}. ${localized(l.from.names, lang)} → ${localized(l.to.names, lang)}`,
          href: `/staff/legs/${l.id}`,
          lines: [
            t(lang, `mode.${l.mode}`),
            ...(l.crossesBorder ? [t(lang, `crossing.${l.crossingStatus ?? 'unknown'}`)] : []),
          ],
          form:
            l.crossesBorder && can.officer
              ? P.form(
                  lang,
                  `crossing-${l.id}`,
                  {
                    action: `/staff/legs/${l.id}/crossing`,
                    specs: P.crossingFields(lang),
                    values: { crossingStatus: l.crossingStatus ?? '' },
                    version: l.version,
                    submit: t(lang, 'ws.leg.set_crossing'),
                  },
                  focus,
                )
              : undefined,
        })),
      },
      {
        title: t(lang, 'route.movements'),
        empty: t(lang, 'route.no_movements'),
        items: page.movements.map((m) => ({
          label: movementLabel(m, lang),
          href: `/staff/movements/${m.id}`,
          badge: t(lang, `movement.status.${m.status}`),
          badgeClass: m.status,
          lines: [
            m.scheduledDate ? formatDay(lang, m.scheduledDate) : t(lang, 'movement.date_not_reported'),
            t(lang, 'ws.dashboard.figures', {
              registered: formatFigure(lang, m.counts.registered.total),
              departed: formatFigure(lang, m.counts.departed.total),
              arrived: formatFigure(lang, m.counts.arrived.total),
            }),
          ],
        })),
      },
    ],
    forms: [
      {
        title: t(lang, 'ws.routes.details'),
        ...P.form(
          lang,
          'route',
          {
            action: `/staff/routes/${route.id}`,
            specs: P.routeFields(lang, page.sources, operation.workingLanguage),
            values: P.routeValues(route),
            version: route.version,
            submit: t(lang, 'ws.save'),
            readOnly: !can.admin,
          },
          focus,
        ),
      },
      ...(can.admin
        ? [
            {
              title: t(lang, 'ws.legs.new'),
              ...P.form(
                lang,
                'leg',
                {
                  action: `/staff/routes/${route.id}/legs`,
                  specs: P.legFields(lang, page.places),
                  values: { mode: 'bus' },
                  version: route.version,
                  merge: false,
                  submit: t(lang, 'ws.legs.add'),
                },
                focus,
              ),
            },
          ]
        : []),
    ],
  };
}

export function presentLegPage(lang: Lang, page: LegPage, can: RouteRights, shown: Shown) {
  return presentRecordPage(lang, {
    title: t(lang, 'ws.legs.title', { position: page.leg.position }),
    crumbs: crumbs(lang, page.operation, page.route),
    ...shown,
    form: {
      key: 'leg',
      action: `/staff/legs/${page.leg.id}`,
      specs: P.legFields(lang, page.places),
      values: P.legValues(page.leg),
      version: page.leg.version,
      canEdit: can.admin,
    },
  });
}
