// Movement pages: details (status along allowed transitions only, dates,
// capacity, current leg, notes), a new movement on a route, history and undo.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { MOVEMENT_STATUSES } from '../../../db/schema.ts';
import { undoCountChange } from '../../domain/staff/counts.ts';
import { movementHistory, userHistory } from '../../domain/staff/history.ts';
import { MOVEMENT_KINDS, createMovement, editMovement } from '../../domain/staff/movements.ts';
import { loadMovementPage, loadRoutePage } from '../../domain/staff/reads.ts';
import { t } from '../../i18n/index.ts';
import { presentMovementHistory, presentUserHistory } from '../../presenters/ws-history.ts';
import {
  crumbs,
  movementFormFields,
  movementValues,
  presentMovementPage,
} from '../../presenters/ws-movement.ts';
import { type FormState, invalidBanner, presentConflict } from '../../presenters/ws-form.ts';
import { hasRole, staffRoute } from './define.ts';
import { actorOf, f, idParam, isCode, parseForm, typed } from './forms.ts';
import { renderStaff } from './render.ts';

const movementForm = z.object({
  label: f.text(200),
  kind: f.oneOf(MOVEMENT_KINDS),
  scheduledDate: f.optionalDate(),
  scheduledDepartureAt: f.optionalDateTime(),
  meetingPoint: f.optionalText(500),
  departedAt: f.optionalDateTime(),
  arrivedAt: f.optionalDateTime(),
  status: f.oneOf(MOVEMENT_STATUSES),
  delayed: f.checkbox(),
  capacity: f.optionalInt(0, 1_000_000),
  currentLegId: f.optionalInt(1),
  publicNote: f.optionalText(2000),
  staffNote: f.optionalText(2000),
});
const versioned = movementForm.extend({ version: f.int(1) });
const undoForm = z.object({ version: f.int(1), reason: f.optionalText(1000) });

const SAVED: Record<string, string> = {
  counts: 'ws.saved.counts',
  unchanged: 'ws.saved.unchanged',
  details: 'ws.saved.details',
  created: 'ws.saved.created',
  undone: 'ws.saved.undone',
};
export const savedMessage = (req: Request, lang: Parameters<typeof t>[0]) => {
  const key = typeof req.query.saved === 'string' ? SAVED[req.query.saved] : undefined;
  return key ? t(lang, key) : undefined;
};

export function movementsRouter(deps: AppDeps): Router {
  const router = Router();
  const db = deps.database.db;

  async function show(
    req: Request,
    res: Response,
    id: number,
    state?: FormState,
    status = 200,
    conflict?: unknown,
  ) {
    const page = await loadMovementPage(db, id);
    const lang = res.locals.lang;
    const tz = page.operation.timeZone;
    const model = presentMovementPage(
      lang,
      page,
      state ?? { values: movementValues(page.movement, tz) },
      hasRole(res.locals.user, 'officer'),
    );
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-movement',
      {
        title: page.movement.label,
        ...model,
        saved: status === 200 ? savedMessage(req, lang) : undefined,
        invalid: invalidBanner(lang, state?.errors),
        conflict: conflict ? presentConflict(lang, conflict as Record<string, unknown>, tz) : undefined,
      },
      status,
    );
  }

  staffRoute(router, 'get', '/movements/:id', 'viewer', async (req, res) => show(req, res, idParam(req)));

  staffRoute(router, 'post', '/movements/:id', 'officer', async (req, res) => {
    const id = idParam(req);
    const values = typed(req.body);
    try {
      const form = parseForm(versioned, req.body);
      const { version, ...fields } = form;
      await editMovement(
        { db, now: deps.clock.now() },
        { movementId: id, expectedVersion: version, fields, actor: actorOf(res) },
      );
      res.redirect(303, `/staff/movements/${id}?saved=details`);
    } catch (err) {
      if (isCode(err, 'validation_failed')) return show(req, res, id, { values, errors: err.fields }, 422);
      if (isCode(err, 'conflict')) {
        const page = await loadMovementPage(db, id);
        const current = movementValues(page.movement, page.operation.timeZone);
        return show(
          req,
          res,
          id,
          { values: { ...values, version: String(page.movement.version) }, current },
          409,
          err.details,
        );
      }
      throw err;
    }
  });

  async function showNew(req: Request, res: Response, routeId: number, state: FormState, status = 200) {
    const page = await loadRoutePage(db, routeId);
    const lang = res.locals.lang;
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-page',
      {
        title: t(lang, 'ws.movement.new'),
        crumbs: crumbs(lang, page.operation, page.route),
        invalid: invalidBanner(lang, state.errors),
        forms: [
          {
            action: `/staff/routes/${routeId}/movements`,
            hidden: [],
            fields: movementFormFields(lang, page.legs, state, MOVEMENT_STATUSES),
            submit: t(lang, 'ws.create'),
          },
        ],
      },
      status,
    );
  }

  staffRoute(router, 'get', '/routes/:id/movements/new', 'officer', async (req, res) =>
    showNew(req, res, idParam(req), { values: { kind: 'convoy', status: 'planned' } }),
  );

  staffRoute(router, 'post', '/routes/:id/movements', 'officer', async (req, res) => {
    const routeId = idParam(req);
    try {
      const fields = parseForm(movementForm, req.body);
      const { id } = await createMovement(
        { db, now: deps.clock.now() },
        { routeId, fields, actor: actorOf(res) },
      );
      res.redirect(303, `/staff/movements/${id}?saved=created`);
    } catch (err) {
      if (isCode(err, 'validation_failed'))
        return showNew(req, res, routeId, { values: typed(req.body), errors: err.fields }, 422);
      throw err;
    }
  });

  async function showHistory(req: Request, res: Response, id: number, status = 200, alert?: string) {
    const h = await movementHistory(db, id);
    const page = await loadMovementPage(db, id);
    const lang = res.locals.lang;
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-history',
      {
        title: t(lang, 'ws.history.title', { label: h.movement.label }),
        crumbs: crumbs(lang, page.operation, page.route),
        ...presentMovementHistory(lang, h, page.operation.timeZone, hasRole(res.locals.user, 'officer')),
        saved: status === 200 ? savedMessage(req, lang) : undefined,
        invalid: alert,
      },
      status,
    );
  }

  staffRoute(router, 'get', '/movements/:id/history', 'viewer', async (req, res) =>
    showHistory(req, res, idParam(req)),
  );

  staffRoute(router, 'post', '/movements/:id/history/:setId/undo', 'officer', async (req, res) => {
    const id = idParam(req);
    const changeSetId = idParam(req, 'setId');
    const lang = res.locals.lang;
    try {
      const form = parseForm(undoForm, req.body);
      await undoCountChange(
        { db, metrics: deps.metrics, now: deps.clock.now() },
        {
          movementId: id,
          changeSetId,
          expectedVersion: form.version,
          reason: form.reason ?? '',
          actor: actorOf(res),
        },
      );
      res.redirect(303, `/staff/movements/${id}/history?saved=undone`);
    } catch (err) {
      if (isCode(err, 'validation_failed'))
        return showHistory(req, res, id, 422, t(lang, 'ws.history.undo_invalid'));
      if (isCode(err, 'conflict')) return showHistory(req, res, id, 409, t(lang, 'ws.history.undo_conflict'));
      throw err;
    }
  });

  async function showActivity(req: Request, res: Response, userId: number) {
    const h = await userHistory(db, userId);
    const lang = res.locals.lang;
    renderStaff(deps, req, res, 'staff/ws-history', {
      title: t(lang, 'ws.activity.title', { name: h.user.name }),
      ...presentUserHistory(lang, h, 'Asia/Almaty'),
    });
  }

  staffRoute(router, 'get', '/activity', 'viewer', async (req, res) =>
    showActivity(req, res, res.locals.user!.id),
  );
  staffRoute(router, 'get', '/activity/:id', 'viewer', async (req, res) =>
    showActivity(req, res, idParam(req)),
  );

  return router;
}
