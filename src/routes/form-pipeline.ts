// The one form pipeline: every form POST (staff workspace, CSV upload, digest
// recipients, the public sign-up, the staff sign-in) goes parse → use case → answer
// through handleForm.
//
//   HTML request                           JSON request (Accept: application/json)
//   success   303 → the address run gave   200 { location, ...body }
//   invalid   422, the form re-rendered    422 { error: { code: 'validation_failed', fields } }
//   stale     409, the form re-rendered    409 { error: { code: 'conflict', conflicts, version } }
//             with what was typed, what
//             the record holds now and the
//             conflicting fields
//   unreadable 400 / other AppError → errorHandler (middleware.ts), HTML or JSON alike
//
// Field-level merge (form-merge.ts): a versioned form carries the values it was loaded
// with (hidden `base.*`). When its version is stale, the pipeline merges field by field
// against spec.current() and saves once more at the record's version; fields both people
// changed are a 409 listing each with the other person's value, who and when. A use case
// that merges for itself (the count editor) throws conflict(message, { conflicts }), and
// the pipeline passes those on. Without either it lists the fields whose typed value
// differs from the record now. See docs/architecture.md.
import type { Request, Response } from 'express';
import type { ZodType } from 'zod';
import { type AppError, type FieldErrors, conflict } from '../errors.ts';
import { hasBase, mergeFormValues, rebased } from '../domain/form-merge.ts';
import { locals } from './locals.ts';
import { isCode, parseForm, typed } from './staff/forms.ts';

/** One field the record and the form disagree on. */
export type FieldConflict = {
  field: string;
  yours: string;
  theirs: string;
  /** After a field-level merge: what the form was loaded with, who changed the record and when. */
  base?: string;
  by?: unknown;
  at?: unknown;
};

export type FormFailure =
  | {
      status: 422;
      values: Record<string, string>;
      errors: FieldErrors;
      details: Record<string, unknown>;
      error: AppError;
    }
  | {
      status: 409;
      error: AppError;
      values: Record<string, string>;
      /** The record's values now (form strings), when spec.current is given. */
      current?: Record<string, string>;
      conflicts: FieldConflict[];
      /** The use case's conflict details (updatedBy, updatedAt…), for the banner. */
      details: Record<string, unknown>;
    };

export type FormDone =
  string | { location: string; body: Record<string, unknown> } | { answer: () => unknown };

export type FormSpec<T> = {
  /** The form's schema (forms.ts `f`); omitted when run parses for itself. */
  schema?: ZodType<T>;
  /**
   * The use case; returns where to go next (or that and a JSON body), or, for a form
   * that goes on in steps or answers with a message page, `{ answer }` that renders it.
   */
  run: (input: T) => Promise<FormDone>;
  /** Re-render the form's page for an HTML request refused with 422 or 409. */
  fail: (failure: FormFailure) => Promise<void> | void;
  /** The record's values and version now, for a 409. */
  current?: () => Promise<{ values: Record<string, string>; version: number }>;
  /** Called once when the input is refused (e.g. a metric). */
  onInvalid?: () => void;
};

/** The client asked for JSON rather than HTML. */
export const wantsJson = (req: Request) =>
  req.path.startsWith('/api/') || (req.accepts(['html', 'json']) === 'json' && !req.accepts('html'));

export async function handleForm<T>(req: Request, res: Response, spec: FormSpec<T>): Promise<void> {
  const form: FormRequest<T> = { req, spec, values: typed(req.body) };
  try {
    const done = await runWithMerge(form);
    if (typeof done === 'object' && 'answer' in done) await done.answer();
    else answerDone(req, res, done);
  } catch (err) {
    if (isCode(err, 'validation_failed')) return refuseInvalid(form, err);
    if (isCode(err, 'conflict')) return refuseConflict(form, res, err);
    throw err;
  }
}

/** One form submission on its way through the pipeline; `values` may be rebased by a merge. */
type FormRequest<T> = { req: Request; spec: FormSpec<T>; values: Record<string, string> };

/** Parse the body with the form's schema and run the use case. */
function attempt<T>({ req, spec }: FormRequest<T>): Promise<FormDone> {
  const input = spec.schema ? parseForm(spec.schema, req.body) : (undefined as T);
  return spec.run(input);
}

/**
 * Run the use case; on a stale versioned form that says what it was loaded with, merge
 * field by field (form-merge.ts) and save once more at the record's version, or throw a
 * conflict listing the fields both people changed.
 */
async function runWithMerge<T>(form: FormRequest<T>): Promise<FormDone> {
  try {
    return await attempt(form);
  } catch (err) {
    const { spec, values } = form;
    if (!isCode(err, 'conflict') || !spec.current || Array.isArray(err.details.conflicts) || !hasBase(values))
      throw err;
    const now = await spec.current();
    const merge = mergeFormValues(values, now.values);
    form.values = rebased(merge.merged, now.values, now.version);
    if (merge.conflicts.length) {
      const { updatedBy = null, updatedAt = null } = err.details as {
        updatedBy?: unknown;
        updatedAt?: unknown;
      };
      const conflicts = merge.conflicts.map((c) => ({ ...c, by: updatedBy, at: updatedAt }));
      throw conflict(err.message, { ...err.details, conflicts, currentVersion: now.version });
    }
    form.req.body = { ...(form.req.body as Record<string, unknown>), ...form.values };
    return attempt(form);
  }
}

/** Success: 303 to where the use case says, or 200 with it in JSON. */
function answerDone(req: Request, res: Response, done: Exclude<FormDone, { answer: () => unknown }>) {
  const { location, body } = typeof done === 'string' ? { location: done, body: {} } : done;
  if (wantsJson(req))
    res
      .status(200)
      .set('Cache-Control', 'no-store')
      .json({ location, ...body });
  else res.redirect(303, location);
}

/** 422: the form again with what was typed (HTML), or the error handler's JSON. */
function refuseInvalid<T>({ req, spec, values }: FormRequest<T>, err: AppError) {
  spec.onInvalid?.();
  if (wantsJson(req)) throw err; // errorHandler: 422 { error: { code, message, fields } }
  return spec.fail({ status: 422, values, errors: err.fields, details: err.details, error: err });
}

/** 409: the conflicting fields with the record's values now, as JSON or the form again. */
async function refuseConflict<T>({ req, spec, values }: FormRequest<T>, res: Response, err: AppError) {
  const now = spec.current ? await spec.current() : undefined;
  const conflicts = conflictsOf(err.details, values, now?.values);
  if (wantsJson(req)) {
    res.status(409).set('Cache-Control', 'no-store');
    res.json({ error: { code: err.code, message: err.message, conflicts, version: now?.version } });
    return;
  }
  // After a field-level merge only the fields both people changed show the value now.
  const shownNow =
    now && Array.isArray(err.details.conflicts)
      ? Object.fromEntries(conflicts.map((c) => [c.field, now.values[c.field] ?? c.theirs]))
      : now?.values;
  const kept = now ? { ...values, version: String(now.version) } : values;
  return spec.fail({
    status: 409,
    values: kept,
    current: shownNow,
    conflicts,
    details: err.details,
    error: err,
  });
}

/** The use case's field conflicts, or the typed fields that differ from the record now. */
export function conflictsOf(
  details: Record<string, unknown>,
  values: Record<string, string>,
  current: Record<string, string> | undefined,
): FieldConflict[] {
  if (Array.isArray(details.conflicts)) return details.conflicts as FieldConflict[];
  if (!current) return [];
  return Object.keys(current)
    .filter((field) => field !== 'version' && field in values && values[field] !== current[field])
    .map((field) => ({ field, yours: values[field]!, theirs: current[field]! }));
}

/** The language of this request (for pages rendered by a form's `fail`). */
export const langOf = (res: Response) => locals(res).lang;
