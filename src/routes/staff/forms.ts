// Form parsing for every form route: zod schemas whose messages are i18n keys,
// so a refused form comes back with a message next to each field. parseForm never
// throws anything but validation_failed (422): a field sent twice, an array or an
// object where one value is expected, a date outside 2000–2100 or a link that is
// not http(s) are refused here, before any handler sees them (issue 11). So is a control
// character (U+0000 and the other C0 controls but tab, CR and LF) in any field's name or
// value, whatever the field's schema: PostgreSQL cannot store U+0000 (it was a 500) and no
// one types the others (input-rules.ts).
import type { Request, Response } from 'express';
import { type ZodType, z } from 'zod';
import { isDay } from '../../domain/calendar.ts';
import { AppError, notFound, validationError } from '../../errors.ts';
import {
  hasControlCharacter,
  isWebUrl,
  withoutControlCharacters,
  yearInWindow,
} from '../../domain/input-rules.ts';
import { type Actor, actorOf as actorOfUser } from '../../domain/auth/actor.ts';
import { requireUser } from '../locals.ts';

const MAX_INT = 2_147_483_647;

const str = () => z.preprocess((v) => (v === undefined || v === null ? '' : v), z.string());

// Fields declared with f.list() may repeat (checkbox groups); every other field is one value.
const listFields = new WeakSet<object>();

const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A "YYYY-MM-DDTHH:MM[:SS]" that exists on the calendar, in the years 2000–2100 (input-rules.ts). */
export function dateTimeProblem(v: string): 'field.datetime' | 'field.date_window' | undefined {
  const m = DATE_TIME_RE.exec(v);
  if (!m) return 'field.datetime';
  if (!inWindow(Number(m[1]))) return 'field.date_window';
  if (!isDay(`${m[1]}-${m[2]}-${m[3]}`)) return 'field.datetime';
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return 'field.datetime';
  return undefined;
}

const inWindow = yearInWindow;

export const f = {
  /** Required text, trimmed. */
  text: (max = 500) => str().pipe(z.string().trim().min(1, 'field.required').max(max, 'field.too_long')),
  /** Optional text: blank → null. */
  optionalText: (max = 2000) =>
    str().pipe(
      z
        .string()
        .trim()
        .max(max, 'field.too_long')
        .transform((v) => (v === '' ? null : v)),
    ),
  /** Blank → null; otherwise a whole number in [min, max]. */
  optionalInt: (min = 0, max = MAX_INT) =>
    str().pipe(
      z
        .string()
        .trim()
        .refine((v) => v === '' || /^-?\d+$/.test(v), 'field.integer')
        .transform((v) => (v === '' ? null : Number(v)))
        .refine((v) => v === null || (v >= min && v <= max), 'field.out_of_range'),
    ),
  int: (min = 0, max = MAX_INT) =>
    str().pipe(
      z
        .string()
        .trim()
        .min(1, 'field.required')
        .regex(/^-?\d+$/, 'field.integer')
        .transform(Number)
        .refine((v) => v >= min && v <= max, 'field.out_of_range'),
    ),
  oneOf: <T extends readonly [string, ...string[]]>(values: T) => str().pipe(z.enum(values, 'field.choose')),
  optionalOneOf: <T extends readonly [string, ...string[]]>(values: T) =>
    str().pipe(
      z
        .string()
        .refine((v) => v === '' || (values as readonly string[]).includes(v), 'field.choose')
        .transform((v) => (v === '' ? null : (v as T[number]))),
    ),
  checkbox: () => z.preprocess((v) => v === '1' || v === 'on' || v === 'true', z.boolean()),
  optionalDate: () =>
    str().pipe(
      z
        .string()
        .trim()
        .superRefine((v, ctx) => {
          if (v === '') return;
          const year = /^(\d{4})-\d{2}-\d{2}$/.exec(v)?.[1];
          const problem = !year
            ? 'field.date'
            : !inWindow(Number(year))
              ? 'field.date_window'
              : !isDay(v)
                ? 'field.date'
                : undefined;
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        })
        .transform((v) => (v === '' ? null : v)),
    ),
  optionalDateTime: () =>
    str().pipe(
      z
        .string()
        .trim()
        .superRefine((v, ctx) => {
          const problem = v === '' ? undefined : dateTimeProblem(v);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        })
        .transform((v) => (v === '' ? null : v)),
    ),
  /** Blank → null; otherwise an absolute http(s) link. */
  optionalUrl: (max = 1000) =>
    str().pipe(
      z
        .string()
        .trim()
        .max(max, 'field.too_long')
        .refine((v) => v === '' || isWebUrl(v), 'field.url')
        .transform((v) => (v === '' ? null : v)),
    ),
  /** A field that may repeat (a checkbox group): its values, at most `max`, each at most `maxLength`. */
  list: (max = 100, maxLength = 200) => {
    const schema = z.preprocess(
      (v): unknown => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.string().max(maxLength, 'field.too_long'), 'field.invalid').max(max, 'field.too_long'),
    );
    listFields.add(schema);
    return schema;
  },
  slug: () =>
    str().pipe(
      z
        .string()
        .trim()
        .toLowerCase()
        .min(1, 'field.required')
        .max(80, 'field.too_long')
        .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'field.slug'),
    ),
};

/**
 * The body as a form: an object whose values are single strings, except the schema's
 * f.list() fields. Anything else (a field sent twice, an array or object value, a body
 * that is not an object) is a 422 naming the field, never an exception in a handler.
 */
export function formFields(schema: ZodType, body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw validationError({ form: 'field.invalid' });
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, object>) : {};
  const fields: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const many = Object.hasOwn(shape, key) && listFields.has(shape[key]!);
    if (typeof value === 'string' || (many && Array.isArray(value))) fields[key] = value;
    else errors[key.slice(0, 100)] = Array.isArray(value) ? 'field.repeated' : 'field.invalid';
  }
  Object.assign(errors, controlCharacterFields(fields));
  if (Object.keys(errors).length > 0) throw validationError(errors);
  return fields;
}

/**
 * The fields whose name or value (any of a list's values) has a control character, each
 * with 'field.control_character'; a name that has one is reported as 'form'. Every form,
 * the sign-in's included, comes here through formFields (the form pipeline).
 */
function controlCharacterFields(body: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (hasControlCharacter(key)) errors.form = 'field.control_character';
    else if (values.some((v) => typeof v === 'string' && hasControlCharacter(v)))
      errors[key.slice(0, 100)] = 'field.control_character';
  }
  return errors;
}

// A schema's own message is an i18n key ('field.required', 'subscribe.error.email'); zod's
// default English messages are not shown.
const MESSAGE_KEY = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$/;

/** Parse a form; a failure is a 422 with a message key per field. Never throws anything else. */
export function parseForm<T>(schema: ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(formFields(schema, body));
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.map(String).join('.') || 'form';
    fields[key] ??= MESSAGE_KEY.test(issue.message) ? issue.message : 'field.invalid';
  }
  throw validationError(fields);
}

/** The one id parser: a positive integer route parameter; anything else is "not found". */
export function idParam(req: Request, name = 'id'): number {
  const raw = req.params[name];
  if (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_INT)
    throw notFound('Record');
  return Number(raw);
}

/** The signed-in staff member as the use case's actor (the one actorOf: domain/auth/actor.ts). */
export const actorOf = (res: Response): Actor => actorOfUser(requireUser(res));

/**
 * The form's submitted values as strings, to put back on a refused form; a control
 * character is taken out (a raw NUL on a page is shown as garbage), and the field's
 * message says so.
 */
export function typed(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object')
    for (const [k, v] of Object.entries(body))
      if (typeof v === 'string' && k !== '_csrf') out[k] = withoutControlCharacters(v);
  return out;
}

export const isCode = (err: unknown, code: AppError['code']): err is AppError =>
  err instanceof AppError && err.code === code;
