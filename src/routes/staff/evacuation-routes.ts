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
import * as P from '../../presenters/ws-catalog.ts';
import {
  presentLegPage,
  presentNewRoutePage,
  presentRoutePage,
} from '../../presenters/ws-evacuation-route.ts';
import { locals } from '../locals.ts';
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

  const rights = (res: Response) => ({ officer: can(res, 'officer'), admin: can(res, 'admin') });
  function newRoutePage(
    req: Request,
    res: Response,
    operation: Parameters<typeof presentNewRoutePage>[1],
    sources: Parameters<typeof presentNewRoutePage>[2],
    focus: P.Focus,
    status: number,
  ) {
    const model = presentNewRoutePage(locals(res).lang, operation, sources, focus);
    renderStaff(deps, req, res, 'staff/ws-page', model, status);
  }
  async function routePage(req: Request, res: Response, id: number, focus?: P.Focus, status = 200) {
    const lang = locals(res).lang;
    const page = await loadRoutePage(db, id);
    const saved = status === 200 ? savedMessage(req, lang) : undefined;
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-page',
      presentRoutePage(lang, page, rights(res), { saved, focus }),
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
    const lang = locals(res).lang;
    const page = await loadLegPage(db, id);
    const saved = status === 200 ? savedMessage(req, lang) : undefined;
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-page',
      presentLegPage(lang, page, rights(res), { saved, focus }),
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
