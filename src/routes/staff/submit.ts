// One shape for every workspace form POST: run the use case and redirect; on
// invalid input re-render with 422 and the messages; on a stale version
// re-render with 409, the typed values kept and the current ones beside them.
import type { Request, Response } from 'express';
import type { Lang } from '../../i18n/index.ts';
import { type Focus } from '../../presenters/ws-catalog.ts';
import { presentConflict } from '../../presenters/ws-form.ts';
import { isCode, typed } from './forms.ts';

export async function submit(
  req: Request,
  res: Response,
  options: {
    key: string;
    run: () => Promise<string>;
    render: (focus: Focus, status: number) => Promise<void>;
    /** The record's values and version now, and its time zone (for the conflict banner). */
    current?: () => Promise<{ values: Record<string, string>; version: number; timeZone: string }>;
  },
): Promise<void> {
  const values = typed(req.body);
  try {
    res.redirect(303, await options.run());
  } catch (err) {
    if (isCode(err, 'validation_failed'))
      return options.render({ key: options.key, state: { values, errors: err.fields } }, 422);
    if (isCode(err, 'conflict') && options.current) {
      const now = await options.current();
      const lang: Lang = res.locals.lang;
      return options.render(
        {
          key: options.key,
          state: { values: { ...values, version: String(now.version) }, current: now.values },
          conflict: presentConflict(lang, err.details, now.timeZone),
        },
        409,
      );
    }
    throw err;
  }
}
