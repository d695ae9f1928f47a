// The staff "as of" view: an operation's figures and movement states as of a chosen
// moment (GET /staff/operations/:id/as-of?at=2026-03-03 or ?at=2026-03-03T12:53, on the
// operation's wall clock; a day alone means its end). Any moment, exact figures: it is
// staff-only. Thin: parse → stateAsOf → present → render.
import { Router } from 'express';
import type { AppDeps } from '../../deps.ts';
import { stateAsOfChosen } from '../../domain/as-of.ts';
import { endOfDay, isDay, parseLocalDateTime } from '../../domain/calendar.ts';
import { yearInWindow } from '../../domain/input-rules.ts';
import type { Lang } from '../../i18n/index.ts';
import { presentStateAsOf } from '../../presenters/ws-as-of.ts';
import { staffRoute } from './define.ts';
import { idParam } from './forms.ts';
import { renderStaff } from './render.ts';

/**
 * The moment asked for, or null when it is not a day or a wall-clock time in the years
 * 2000–2100 (input-rules.ts, as every date staff type: 9999-01-01 is a typo, not a
 * question); absent → now.
 */
export function momentOf(raw: unknown, timeZone: string, now: Date): Date | null {
  if (raw === undefined || raw === '') return now;
  if (typeof raw !== 'string') return null;
  const text = raw.trim().replace(' ', 'T');
  if (!yearInWindow(Number(/^(\d{4})-/.exec(text)?.[1]))) return null;
  if (isDay(text)) return endOfDay(text, timeZone);
  return parseLocalDateTime(text, timeZone);
}

/**
 * `at` as sent. The query parser is the simple one, so `at[x]=1` (a client meaning `at`
 * as a structure) arrives as another parameter and `at` as absent, which would be "now":
 * it is a malformed moment, refused as one.
 */
function askedAt(query: Record<string, unknown>): unknown {
  return Object.keys(query).some((key) => key.startsWith('at[')) ? {} : query.at;
}

export function asOfRouter(deps: AppDeps): Router {
  const router = Router();
  staffRoute(router, 'get', '/operations/:id/as-of', 'viewer', async (req, res) => {
    const lang: Lang = res.locals.lang;
    const id = idParam(req);
    const now = deps.clock.now();
    const { timeZone, at, snapshot } = await stateAsOfChosen({
      deps: { db: deps.database.db },
      operationId: id,
      choose: (tz) => momentOf(askedAt(req.query), tz, now),
    });
    const model = presentStateAsOf(lang, { id, timeZone, at, raw: req.query.at, snapshot });
    renderStaff(deps, req, res, 'staff/ws-as-of', model, at ? 200 : 422);
  });
  return router;
}
