// Evacuation routes (the corridors people travel) with their legs, and border-crossing
// status. Named apart from HTTP routes: in src/routes/ "route" means an HTTP route.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { CROSSING_STATUSES, LEG_MODES } from '../../domain/vocabulary.ts';
import type { AppDeps } from '../../deps.ts';
import {
  addLeg,
  createRoute,
  editLeg,
  editRoute,
  setCrossingStatus,
} from '../../domain/staff/evacuation-routes.ts';
import { loadLegPage, loadOperationPage, loadRoutePage } from '../../domain/staff/reads.ts';
import { type Lang, localized, t } from '../../i18n/index.ts';
import * as P from '../../presenters/ws-catalog.ts';
import { invalidBanner } from '../../presenters/ws-form.ts';
import { crumbs } from '../../presenters/ws-movement.ts';
import { formatDay, formatFigure } from '../../presenters/format.ts';
import { savedMessage } from './movements.ts';
import { hasRole, staffRoute } from './define.ts';
import { actorOf, f, idParam, parseForm } from './forms.ts';
import { renderStaff } from './render.ts';
import { localizedFormFields, toLocalized } from './localized-form.ts';
import { submit } from './submit.ts';

const routeForm = z.object({
  slug: f.slug(),
  name_en: f.text(300),
  name_ru: f.optionalText(300),
  name_kk: f.optionalText(300),
  position: f.int(0, 10_000),
  sourceId: f.optionalInt(1),
  ...localizedFormFields('publicNotes', 2000),
  staffNote: f.optionalText(2000),
});
const legForm = z.object({
  fromPlaceId: f.int(1),
  toPlaceId: f.int(1),
  mode: f.oneOf(LEG_MODES),
  crossesBorder: f.checkbox(),
  crossingStatus: f.optionalOneOf(CROSSING_STATUSES),
});
const version = { version: f.int(1) };
const crossingForm = z.object({ crossingStatus: f.optionalOneOf(CROSSING_STATUSES), ...version });

const routeInput = (v: z.infer<typeof routeForm>) => ({
  slug: v.slug,
  names: { en: v.name_en, ...(v.name_ru ? { ru: v.name_ru } : {}), ...(v.name_kk ? { kk: v.name_kk } : {}) },
  position: v.position,
  sourceId: v.sourceId,
  publicNotes: toLocalized(v, 'publicNotes'),
  staffNote: v.staffNote,
});

export function evacuationRoutesRouter(deps: AppDeps): Router {
  const router = Router();
  const db = deps.database.db;
  const can = (res: Response, role: 'officer' | 'admin') => hasRole(res.locals.user, role);

  staffRoute(router, 'post', '/operations/:id/routes', 'admin', async (req, res) => {
    const id = idParam(req);
    const { operation, sources } = await loadOperationPage(db, id);
    return submit(req, res, {
      key: 'route',
      // The new-route form lives on the operation page; show it here with its messages.
      render: (focus, status) => newRoutePage(req, res, operation, sources, focus, status),
      run: async () => {
        const created = await createRoute(
          { db },
          { operationId: id, fields: routeInput(parseForm(routeForm, req.body)), actor: actorOf(res) },
        );
        return `/staff/routes/${created.id}?saved=created`;
      },
    });
  });

  function newRoutePage(
    req: Request,
    res: Response,
    operation: { id: number; names: { en: string }; workingLanguage: Lang },
    sources: Parameters<typeof P.routeFields>[1],
    focus: P.Focus,
    status: number,
  ) {
    const lang: Lang = res.locals.lang;
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-page',
      {
        title: t(lang, 'ws.routes.new'),
        crumbs: crumbs(lang, operation),
        invalid: invalidBanner(lang, focus.state.errors),
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
      },
      status,
    );
  }

  async function routePage(req: Request, res: Response, id: number, focus?: P.Focus, status = 200) {
    const lang: Lang = res.locals.lang;
    const page = await loadRoutePage(db, id);
    const { route, operation } = page;
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-page',
      {
        title: localized(route.names, lang),
        crumbs: crumbs(lang, operation),
        saved: status === 200 ? savedMessage(req, lang) : undefined,
        invalid: invalidBanner(lang, focus?.state.errors),
        conflict: focus?.conflict,
        links: can(res, 'officer')
          ? [{ href: `/staff/routes/${id}/movements/new`, label: t(lang, 'ws.movement.new') }]
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
                l.crossesBorder && can(res, 'officer')
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
              label: m.label,
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
                action: `/staff/routes/${id}`,
                specs: P.routeFields(lang, page.sources, page.operation.workingLanguage),
                values: P.routeValues(route),
                version: route.version,
                submit: t(lang, 'ws.save'),
                readOnly: !can(res, 'admin'),
              },
              focus,
            ),
          },
          ...(can(res, 'admin')
            ? [
                {
                  title: t(lang, 'ws.legs.new'),
                  ...P.form(
                    lang,
                    'leg',
                    {
                      action: `/staff/routes/${id}/legs`,
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
      },
      status,
    );
  }
  const routeNow = async (id: number) => {
    const { route, operation } = await loadRoutePage(db, id);
    return { values: P.routeValues(route), version: route.version, timeZone: operation.timeZone };
  };
  staffRoute(router, 'get', '/routes/:id', 'viewer', (req, res) => routePage(req, res, idParam(req)));
  staffRoute(router, 'post', '/routes/:id', 'admin', (req, res) => {
    const id = idParam(req);
    return submit(req, res, {
      key: 'route',
      render: (focus, status) => routePage(req, res, id, focus, status),
      current: () => routeNow(id),
      run: async () => {
        const v = parseForm(routeForm.extend(version), req.body);
        await editRoute(
          { db },
          { routeId: id, expectedVersion: v.version, fields: routeInput(v), actor: actorOf(res) },
        );
        return `/staff/routes/${id}?saved=details`;
      },
    });
  });
  staffRoute(router, 'post', '/routes/:id/legs', 'admin', (req, res) => {
    const id = idParam(req);
    return submit(req, res, {
      key: 'leg',
      render: (focus, status) => routePage(req, res, id, focus, status),
      current: async () => ({ ...(await routeNow(id)), values: {} }),
      run: async () => {
        const v = parseForm(legForm.extend(version), req.body);
        const { version: expectedRouteVersion, ...fields } = v;
        await addLeg({ db }, { routeId: id, expectedRouteVersion, fields, actor: actorOf(res) });
        return `/staff/routes/${id}?saved=created`;
      },
    });
  });

  // ---- one leg
  async function legPage(req: Request, res: Response, id: number, focus?: P.Focus, status = 200) {
    const lang: Lang = res.locals.lang;
    const page = await loadLegPage(db, id);
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-page',
      {
        title: t(lang, 'ws.legs.title', { position: page.leg.position }),
        crumbs: crumbs(lang, page.operation, page.route),
        saved: status === 200 ? savedMessage(req, lang) : undefined,
        invalid: invalidBanner(lang, focus?.state.errors),
        conflict: focus?.conflict,
        forms: [
          P.form(
            lang,
            'leg',
            {
              action: `/staff/legs/${id}`,
              specs: P.legFields(lang, page.places),
              values: P.legValues(page.leg),
              version: page.leg.version,
              submit: t(lang, 'ws.save'),
              readOnly: !can(res, 'admin'),
            },
            focus,
          ),
        ],
      },
      status,
    );
  }
  const legNow = async (id: number) => {
    const page = await loadLegPage(db, id);
    return { values: P.legValues(page.leg), version: page.leg.version, timeZone: page.operation.timeZone };
  };
  staffRoute(router, 'get', '/legs/:id', 'viewer', (req, res) => legPage(req, res, idParam(req)));
  staffRoute(router, 'post', '/legs/:id', 'admin', (req, res) => {
    const id = idParam(req);
    return submit(req, res, {
      key: 'leg',
      render: (focus, status) => legPage(req, res, id, focus, status),
      current: () => legNow(id),
      run: async () => {
        const { version: expectedVersion, ...fields } = parseForm(legForm.extend(version), req.body);
        await editLeg({ db }, { legId: id, expectedVersion, fields, actor: actorOf(res) });
        return `/staff/legs/${id}?saved=details`;
      },
    });
  });
  staffRoute(router, 'post', '/legs/:id/crossing', 'officer', async (req, res) => {
    const id = idParam(req);
    const { route, leg } = await loadLegPage(db, id);
    return submit(req, res, {
      key: `crossing-${id}`,
      // A leg that crosses no border has no crossing form on the route page: answer on the leg's own.
      render: (focus, status) =>
        leg.crossesBorder
          ? routePage(req, res, route.id, focus, status)
          : legPage(
              req,
              res,
              id,
              {
                ...focus,
                key: 'leg',
                state: { ...focus.state, values: { ...P.legValues(leg), ...focus.state.values } },
              },
              status,
            ),
      current: async () => {
        const now = await legNow(id);
        return { ...now, values: { crossingStatus: now.values.crossingStatus ?? '' } };
      },
      run: async () => {
        const v = parseForm(crossingForm, req.body);
        await setCrossingStatus(
          { db },
          { legId: id, expectedVersion: v.version, status: v.crossingStatus, actor: actorOf(res) },
        );
        return `/staff/routes/${route.id}?saved=details`;
      },
    });
  });

  return router;
}
