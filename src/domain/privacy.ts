// The privacy and safety rules of every public output (page, JSON, Atom, CSV,
// the public digest), in one place. Nothing public is built from a Snapshot
// directly: it is built from the PublicProjection this module returns.
//
// - Aggregates only: no name, no staff note, no meeting point, no scheduled
//   time, no actor; only the figures, route, dates and public notes.
// - A movement is public once it has departed and the operation's
//   publication delay has passed; before that only its route and date show.
// - Every figure below the operation's threshold shows as "fewer than k", and
//   enough other figures are withheld that no sum or difference recovers it, in
//   this state or against the one published before it: disclosure.ts, proven by
//   an exact audit (docs/privacy.md). A projection whose audit fails says so in
//   `disclosure.ok`, and must not be published.
// - The headline reconciles: every person in one bucket (headline.ts).
//
// This module is the entry point: toPublicProjection. Its parts: publication.ts
// (when a movement becomes public), figure-input.ts (the figures handed to the
// disclosure model), project-operation.ts and project-route.ts (the projection
// of an operation and of one of its routes).
import type { OperationDisclosure } from './disclosure.ts';
import { projectOperation } from './project-operation.ts';
import type { Snapshot } from './snapshot.ts';
import type { ProjectionOptions, PublicProjection } from './public-projection.ts';

export type * from './public-projection.ts';
export { figureInput } from './figure-input.ts';
export { isPublished, publicationTime } from './publication.ts';

export function toPublicProjection(
  input: Snapshot | Snapshot[],
  now: Date,
  options: ProjectionOptions = {},
): PublicProjection {
  const snapshots = Array.isArray(input) ? input : [input];
  const changes: number[] = [];
  const disclosures: OperationDisclosure[] = [];
  const operations = snapshots.map((s) => projectOperation(s, now, changes, options, disclosures));
  const future = changes.filter((t) => t > now.getTime());
  const last = operations.map((o) => o.lastUpdatedAt.getTime());
  return {
    operations,
    generatedAt: now,
    lastUpdatedAt: new Date(last.length ? Math.max(...last) : 0),
    validUntil: future.length ? new Date(Math.min(...future)) : null,
    disclosure: {
      ok: disclosures.every((d) => d.ok),
      releases: disclosures.map((d) => d.release),
      operations: disclosures.map((d) => ({
        operationId: d.release.operationId,
        ok: d.ok,
        cells: d.table.cells.size,
        fewerThan: [...d.display.values()].filter((x) => x === 'fewer_than').length,
        withheld: d.withheld,
        withheldBy: d.withheldBy,
        failures: d.audit.failures.slice(0, 5).map((f) => `${f.item.id}=${f.target} (${f.item.why})`),
        audit: d.audit.stats,
      })),
    },
  };
}
