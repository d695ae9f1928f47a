// The count editor: GET shows a movement's figures as a stage × priority-group
// grid; POST saves them (one transaction with the history record).
//
// POST /staff/movements/:id/counts — application/x-www-form-urlencoded, least role officer.
// Form fields:
//   _csrf               the session's CSRF token (or header X-CSRF-Token)
//   version             the movement version the form was loaded with (integer, required)
//   registered.total    registered.womenChildren  registered.over60  registered.medical  registered.other
//   departed.total      departed.womenChildren    departed.over60    departed.medical    departed.other
//   arrived.total       arrived.womenChildren     arrived.over60     arrived.medical     arrived.other
//                       each blank (= not reported / not broken down) or a whole number >= 0;
//                       a field left out of the body counts as blank
//   reason              why the figures change (required, <= 1000 characters)
//   base.<stage>.<field> the figures the form was loaded with (hidden; when absent they are
//                       read back from the history at `version`). Only fields typed differently
//                       from their base are applied; a field someone else changed since keeps
//                       their value unless this person changed it too: then a field-level 409.
//   source              required choice, no default: id of an existing source, "desk" (our own
//                       desk's record: names the operation's publisher and the officer), or blank
//                       with new_source_outlet + new_source_title (+ optional new_source_url) to record a new one
//   mark                optional "departed" | "arrived": also set the status in the same save
//                       (offered when the figures run ahead of the status; never implied)
//   mark_at             optional "YYYY-MM-DDTHH:MM": when it departed/arrived; blank = not reported
//   as_of               optional "YYYY-MM-DDTHH:MM" in the operation's time zone: when the figures were true;
//                       blank = now; a typed moment may not be before the operation's first day (as-of-input.ts)
//                       nor more than a day ahead. Earlier than the latest as-of: a correction of that time.
// Answers: 303 → /staff/movements/:id?saved=counts&version=N on success (JSON {changed, version}
// when the request sends Accept: application/json); 409 when both changed a field (the form
// comes back with this person's changes, everyone else's values, and per conflicting field the
// other value, who and when; JSON error.details.fields); 422 with a message per
// field on invalid input. Nothing is written unless the answer is 303/200.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { localToInstant } from '../../domain/staff/common.ts';
import { saveCounts } from '../../domain/staff/counts.ts';
import { sourceChoiceOf } from '../../domain/staff/source-choice.ts';
import { loadMovementPage } from '../../domain/staff/reads.ts';
import { afterConflict, presentCountEditorPage } from '../../presenters/ws-count-editor.ts';
import type { FormState } from '../../presenters/ws-form.ts';
import { locals, permissions } from '../locals.ts';
import { staffRoute } from './define.ts';
import { actorOf, f, idParam, isCode, parseForm, typed } from './forms.ts';
import { renderStaff } from './render.ts';

const countForm = z.object({
  version: f.int(1),
  reason: f.optionalText(1000),
  source: f.optionalText(20),
  new_source_outlet: f.optionalText(300),
  new_source_title: f.optionalText(500),
  new_source_url: f.optionalUrl(1000),
  as_of: f.optionalDateTime(),
  mark: f.optionalOneOf(['departed', 'arrived'] as const),
  mark_at: f.optionalDateTime(),
});

export const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

/** The form as saveCounts takes it; a validation_failed error (422) when it is not valid. */
async function countsInput(db: AppDeps['database']['db'], req: Request, res: Response, id: number) {
  const form = parseForm(countForm, req.body);
  const page = await loadMovementPage(db, id);
  const asOf = localToInstant(form.as_of, page.operation.timeZone, 'as_of');
  const markAt = localToInstant(form.mark_at, page.operation.timeZone, 'mark_at');
  const source = sourceChoiceOf(form);
  return {
    movementId: id,
    expectedVersion: form.version,
    form: req.body as Record<string, unknown>,
    reason: form.reason ?? '',
    source,
    asOf,
    mark: form.mark ? { status: form.mark, at: markAt } : null,
    actor: actorOf(res),
  };
}

export function countsRouter(deps: AppDeps): Router {
  const router = Router();
  const db = deps.database.db;

  async function show(
    req: Request,
    res: Response,
    id: number,
    view: { state?: FormState; conflict?: unknown } = {},
    status = 200,
  ) {
    const page = await loadMovementPage(db, id);
    const { lang, user } = locals(res);
    const model = presentCountEditorPage(lang, { page, userName: user?.name }, permissions(res), view);
    renderStaff(deps, req, res, 'staff/ws-counts', model, status);
  }

  /** A refused save: JSON callers get the error; the form comes back with a 422 or a 409. */
  async function refused(req: Request, res: Response, id: number, err: unknown, measured: boolean) {
    if (!measured && isCode(err, 'validation_failed')) deps.metrics.countUpdates.inc({ outcome: 'invalid' });
    if (wantsJson(req)) throw err;
    const values = typed(req.body);
    if (isCode(err, 'validation_failed'))
      return show(req, res, id, { state: { values, errors: err.fields } }, 422);
    if (!isCode(err, 'conflict')) throw err;
    const page = await loadMovementPage(db, id);
    const state = afterConflict(values, page.counts, page.movement.version);
    return show(req, res, id, { state, conflict: err.details }, 409);
  }

  staffRoute(router, 'get', '/movements/:id/counts', 'viewer', async (req, res) => {
    await show(req, res, idParam(req));
  });

  staffRoute(router, 'post', '/movements/:id/counts', 'officer', async (req, res) => {
    const id = idParam(req);
    let measured = false; // saveCounts records its own outcome in deps.metrics.countUpdates
    try {
      const input = await countsInput(db, req, res, id);
      measured = true;
      const result = await saveCounts({ db, metrics: deps.metrics, now: deps.clock.now() }, input);
      if (wantsJson(req)) {
        res.json({ changed: result.changed, version: result.version });
        return;
      }
      const saved = result.changed ? 'counts' : 'unchanged';
      res.redirect(303, `/staff/movements/${id}?saved=${saved}&version=${result.version}`);
    } catch (err) {
      await refused(req, res, id, err, measured);
    }
  });

  return router;
}
