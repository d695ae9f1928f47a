// Movement pages: details (status along allowed transitions only, dates,
// capacity, current leg, notes), a new movement on a route, history and undo,
// and a user's activity. Forms go through the form pipeline; pages are built by
// presenters/ws-movement-pages.ts.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { undoCountChange } from '../../domain/staff/counts.ts';
import { movementHistory, userHistory } from '../../domain/staff/history.ts';
import { type MovementInput, createMovement, editMovement } from '../../domain/staff/movements.ts';
import { loadMovementPage, loadRoutePage } from '../../domain/staff/reads.ts';
import { MOVEMENT_KINDS, MOVEMENT_STATUSES } from '../../domain/vocabulary.ts';
import type { FormState } from '../../presenters/ws-form.ts';
import {
  NEW_MOVEMENT_VALUES,
  type PageView,
  movementFormNow,
  presentActivityPage,
  presentMovementDetailsPage,
  presentMovementHistoryPage,
  presentNewMovementPage,
} from '../../presenters/ws-movement-pages.ts';
import { presentSaved } from '../../presenters/ws-form.ts';
import { handleForm } from '../form-pipeline.ts';
import { locals, permissions, requireUser } from '../locals.ts';
import { staffRoute } from './define.ts';
import { actorOf, f, idParam } from './forms.ts';
import { renderStaff } from './render.ts';
import { localizedFormFields, toLocalized } from './localized-form.ts';

const movementForm = z.object({
  ...localizedFormFields('label', 200),
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
  ...localizedFormFields('publicNotes', 2000),
  staffNote: f.optionalText(2000),
});
/** The form's fields as the use case takes them: each public text with its languages. */
const movementInput = (v: z.infer<typeof movementForm>): MovementInput => ({
  labels: toLocalized(v, 'label'),
  kind: v.kind,
  scheduledDate: v.scheduledDate,
  scheduledDepartureAt: v.scheduledDepartureAt,
  meetingPoint: v.meetingPoint,
  departedAt: v.departedAt,
  arrivedAt: v.arrivedAt,
  status: v.status,
  delayed: v.delayed,
  capacity: v.capacity,
  currentLegId: v.currentLegId,
  publicNotes: toLocalized(v, 'publicNotes'),
  staffNote: v.staffNote,
});
const versioned = movementForm.extend({ version: f.int(1) });
const undoForm = z.object({ version: f.int(1), reason: f.optionalText(1000) });

/** The "saved" line for ?saved=… (kept for the pages not yet moved to presenters). */
export const savedMessage = (req: Request, lang: Parameters<typeof presentSaved>[0]) =>
  presentSaved(lang, req.query.saved);

export function movementsRouter(deps: AppDeps): Router {
  const router = Router();
  const db = deps.database.db;

  async function show(req: Request, res: Response, view: Omit<PageView, 'saved'> = { status: 200 }) {
    const page = await loadMovementPage(db, idParam(req));
    const model = presentMovementDetailsPage(locals(res).lang, page, permissions(res), {
      ...view,
      saved: req.query.saved,
    });
    renderStaff(deps, req, res, 'staff/ws-movement', model, view.status);
  }

  staffRoute(router, 'get', '/movements/:id', 'viewer', (req, res) => show(req, res));

  staffRoute(router, 'post', '/movements/:id', 'officer', (req, res) => {
    const id = idParam(req);
    return handleForm(req, res, {
      schema: versioned,
      run: async (form) => {
        await editMovement(
          { db, now: deps.clock.now() },
          { movementId: id, expectedVersion: form.version, fields: movementInput(form), actor: actorOf(res) },
        );
        return `/staff/movements/${id}?saved=details`;
      },
      current: async () => movementFormNow(await loadMovementPage(db, id)),
      fail: (x) =>
        show(req, res, {
          status: x.status,
          state: {
            values: x.values,
            errors: x.status === 422 ? x.errors : undefined,
            current: x.status === 409 ? x.current : undefined,
          },
          conflict: x.status === 409 ? x.details : undefined,
        }),
    });
  });

  async function showNew(req: Request, res: Response, state: FormState, status = 200) {
    const page = await loadRoutePage(db, idParam(req));
    renderStaff(
      deps,
      req,
      res,
      'staff/ws-page',
      presentNewMovementPage(locals(res).lang, page, permissions(res), state),
      status,
    );
  }

  staffRoute(router, 'get', '/routes/:id/movements/new', 'officer', (req, res) =>
    showNew(req, res, { values: NEW_MOVEMENT_VALUES }),
  );

  staffRoute(router, 'post', '/routes/:id/movements', 'officer', (req, res) =>
    handleForm(req, res, {
      schema: movementForm,
      run: async (form) => {
        const fields = movementInput(form);
        const { id } = await createMovement(
          { db, now: deps.clock.now() },
          { routeId: idParam(req), fields, actor: actorOf(res) },
        );
        return `/staff/movements/${id}?saved=created`;
      },
      fail: (x) =>
        x.status === 422
          ? showNew(req, res, { values: x.values, errors: x.errors }, 422)
          : Promise.reject(x.error),
    }),
  );

  async function showHistory(req: Request, res: Response, status = 200) {
    const id = idParam(req);
    const data = { history: await movementHistory(db, id), page: await loadMovementPage(db, id) };
    const model = presentMovementHistoryPage(locals(res).lang, data, permissions(res), {
      status,
      saved: req.query.saved,
    });
    renderStaff(deps, req, res, 'staff/ws-history', model, status);
  }

  staffRoute(router, 'get', '/movements/:id/history', 'viewer', (req, res) => showHistory(req, res));

  staffRoute(router, 'post', '/movements/:id/history/:setId/undo', 'officer', (req, res) => {
    const id = idParam(req);
    const changeSetId = idParam(req, 'setId');
    return handleForm(req, res, {
      schema: undoForm,
      run: async (form) => {
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
        return `/staff/movements/${id}/history?saved=undone`;
      },
      fail: (x) => showHistory(req, res, x.status),
    });
  });

  async function showActivity(req: Request, res: Response, userId: number) {
    const model = presentActivityPage(
      locals(res).lang,
      await userHistory(db, userId),
      permissions(res),
      deps.config.STAFF_TIME_ZONE,
    );
    renderStaff(deps, req, res, 'staff/ws-history', model);
  }

  staffRoute(router, 'get', '/activity', 'viewer', (req, res) => showActivity(req, res, requireUser(res).id));
  staffRoute(router, 'get', '/activity/:id', 'viewer', (req, res) => showActivity(req, res, idParam(req)));

  return router;
}
