// The workspace pages' forms (catalog, evacuation routes, places, public page) on the
// one form pipeline (../form-pipeline.ts): a refused form comes back as a Focus —
// which form on the page, what was typed, its messages and, after a stale
// version, the record's values now and the conflict banner.
import type { Request, Response } from 'express';
import type { ZodType } from 'zod';
import { type Focus } from '../../presenters/ws-catalog.ts';
import { presentConflict } from '../../presenters/ws-form.ts';
import { handleForm } from '../form-pipeline.ts';
import { locals } from '../locals.ts';

export async function submit<T = undefined>(
  req: Request,
  res: Response,
  options: {
    key: string;
    schema?: ZodType<T>;
    run: (input: T) => Promise<string>;
    render: (focus: Focus, status: number) => Promise<void> | void;
    /** The record's values and version now, and its time zone (for the conflict banner). */
    current?: () => Promise<{ values: Record<string, string>; version: number; timeZone: string }>;
  },
): Promise<void> {
  let timeZone = 'UTC';
  const current = options.current;
  await handleForm(req, res, {
    schema: options.schema,
    run: options.run,
    current: current
      ? async () => {
          const now = await current();
          timeZone = now.timeZone;
          return now;
        }
      : undefined,
    fail: (failure) =>
      failure.status === 422
        ? options.render({ key: options.key, state: { values: failure.values, errors: failure.errors } }, 422)
        : current
          ? options.render(
              {
                key: options.key,
                state: { values: failure.values, current: failure.current },
                conflict: presentConflict(locals(res).lang, failure.details, timeZone),
              },
              409,
            )
          : Promise.reject(failure.error), // no current values to show: errorHandler's 409
  });
}
