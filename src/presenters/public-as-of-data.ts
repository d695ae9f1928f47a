// The JSON API as of a past moment (GET /api/v1/status?asOf=): the same document as the
// live one (public-data.ts), with the point it is as of — per operation the end of a
// local day in its zone (docs/public-api.md, "As of a moment").
import type { PublicProjection } from '../domain/privacy.ts';
import { statusJson } from './public-data.ts';

export type AsOfPointView = { operationId: number; day: string; at: Date };

export function statusJsonAsOf(p: PublicProjection, points: AsOfPointView[]) {
  const { version, ...live } = statusJson(p, {});
  const byOperation = new Map(points.map((x) => [x.operationId, x]));
  return {
    version,
    /** The end of the (latest) local day these figures are as of; each operation says its own. */
    asOf: new Date(Math.max(...points.map((x) => x.at.getTime()))).toISOString(),
    ...live,
    operations: live.operations.map((o, i) => {
      const point = byOperation.get(p.operations[i]!.id)!;
      return { asOfDay: point.day, asOf: point.at.toISOString(), ...o };
    }),
  };
}
