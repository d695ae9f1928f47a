// Use case: load the reported figures. Safe to run again: nothing is added twice,
// and figures already present are never overwritten.
import { seedCoordinates } from '../../db/seed/map.ts';
import { seedAuthority } from '../../db/seed/publisher.ts';
import { seedOperation, seedPlaces, seedRoutes, seedSources } from '../../db/seed/reports.ts';
import type { Db } from '../store/database.ts';
import { notifyChange } from '../store/notify.ts';
import {
  ensureOperation,
  ensurePlace,
  ensureRoute,
  ensureSource,
  fillMovementTexts,
  fillRouteTexts,
  fillSourceTexts,
  insertLegs,
  insertMovementIfAbsent,
} from '../store/repositories/catalog.ts';
import { appendChangeSet, writeCounts } from '../store/repositories/counts.ts';
import { type CountChange, diffCounts, emptyCounts } from './figures.ts';
import { TZDate } from '@date-fns/tz';

export type SeedResult = { movementsAdded: number; routesAdded: number };

const SEED_ACTOR = 'seed: reports of March 2026';

/** Midnight of the report's date in the operation's zone: the report gives a day, not a time. */
// Built from components: TZDate parses a string in the process's zone, not `timeZone`.
const asOfReportDate = (day: string, timeZone: string) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, 0, 0, 0, timeZone).getTime());
};

export async function seedReportedFigures(deps: { db: Db }): Promise<SeedResult> {
  return deps.db.transaction(async (tx) => {
    const sourceIds = new Map<string, number>();
    const sourceDates = new Map<string, string>();
    for (const s of seedSources) {
      sourceIds.set(s.slug, await ensureSource(tx, s));
      await fillSourceTexts(tx, s.slug, s);
      sourceDates.set(s.slug, s.publishedOn);
    }
    const placeIds = new Map<string, number>();
    for (const p of seedPlaces)
      placeIds.set(p.slug, await ensurePlace(tx, { ...p, ...seedCoordinates[p.slug] }));
    const operationId = await ensureOperation(tx, {
      ...seedOperation,
      authority: seedAuthority,
      isPublic: true,
    });

    let routesAdded = 0;
    let movementsAdded = 0;
    for (const [position, r] of seedRoutes.entries()) {
      const route = await ensureRoute(tx, {
        operationId,
        slug: r.slug,
        names: r.names,
        position,
        publicNotes: r.notes,
        publicQuote: r.quote,
        sourceId: sourceIds.get(r.source),
      });
      if (!route.created) {
        // Seeded before its text was per language: add the languages it lacks.
        await fillRouteTexts(tx, route.id, { publicNotes: r.notes, publicQuote: r.quote });
        for (const m of r.movements)
          await fillMovementTexts(
            tx,
            { routeId: route.id, label: m.labels.en },
            { labels: m.labels, publicNotes: m.notes, publicQuote: m.quote },
          );
        continue;
      }
      routesAdded++;
      const legRows = await insertLegs(
        tx,
        r.legs.map((l, i) => ({
          routeId: route.id,
          position: i + 1,
          fromPlaceId: placeIds.get(l.from)!,
          toPlaceId: placeIds.get(l.to)!,
          mode: l.mode,
          crossesBorder: l.crossesBorder,
          crossingStatus: null,
        })),
      );
      for (const m of r.movements) {
        const currentLegId = m.currentLeg ? legRows.find((l) => l.position === m.currentLeg)?.id : undefined;
        const sourceId = sourceIds.get(m.source)!;
        const movement = await insertMovementIfAbsent(tx, {
          routeId: route.id,
          label: m.labels.en,
          labels: m.labels,
          kind: m.kind,
          scheduledDate: m.scheduledDate,
          status: m.status,
          currentLegId: currentLegId ?? null,
          publicNotes: m.notes,
          publicQuote: m.quote,
          sourceId,
        });
        if (!movement) continue;
        movementsAdded++;
        const counts = emptyCounts();
        for (const f of m.figures) counts[f.stage].total = f.total;
        const changes: CountChange[] = diffCounts(emptyCounts(), counts);
        await writeCounts(tx, movement.id, counts, { sourceId, actorId: null });
        await appendChangeSet(
          tx,
          {
            movementId: movement.id,
            actorId: null,
            actorLabel: SEED_ACTOR,
            reason: m.notes.en ?? m.labels.en,
            sourceId,
            asOf: asOfReportDate(sourceDates.get(m.source)!, seedOperation.timeZone),
            versionBefore: movement.version,
            versionAfter: movement.version,
          },
          changes,
        );
      }
    }
    if (routesAdded > 0) await notifyChange(tx, { operationId, kind: 'seed' });
    return { routesAdded, movementsAdded };
  });
}
