// Form parsing for the workspace's routes: zod schemas whose messages are
// i18n keys, so a refused form comes back with a message next to each field.
import type { Request } from 'express';
import { type ZodType, z } from 'zod';
import { isDay } from '../../domain/calendar.ts';
import { AppError, notFound, validationError } from '../../errors.ts';
import type { Actor } from '../../domain/update-counts.ts';

const MAX_INT = 2_147_483_647;

const str = () => z.preprocess((v) => (v === undefined || v === null ? '' : v), z.string());

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
        .refine((v) => v === '' || isDay(v), 'field.date')
        .transform((v) => (v === '' ? null : v)),
    ),
  optionalDateTime: () =>
    str().pipe(
      z
        .string()
        .trim()
        .refine((v) => v === '' || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v), 'field.datetime')
        .transform((v) => (v === '' ? null : v)),
    ),
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

/** Parse a form; a failure is a 422 with a message key per field. */
export function parseForm<T>(schema: ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.map(String).join('.') || 'form';
    fields[key] ??= issue.message.startsWith('field.') ? issue.message : 'field.invalid';
  }
  throw validationError(fields);
}

/** A positive integer route parameter; anything else is "not found". */
export function idParam(req: Request, name = 'id'): number {
  const raw = req.params[name];
  if (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_INT)
    throw notFound('Record');
  return Number(raw);
}

export function actorOf(res: { locals: { user?: { id: number; name: string } } }): Actor {
  const user = res.locals.user!;
  return { id: user.id, label: user.name };
}

/** The form's submitted values as strings, to put back on a refused form. */
export function typed(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object')
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string' && k !== '_csrf') out[k] = v;
  return out;
}

export const isCode = (err: unknown, code: AppError['code']): err is AppError =>
  err instanceof AppError && err.code === code;
