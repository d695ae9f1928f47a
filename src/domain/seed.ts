// Use case: load the reported figures. Safe to run again: nothing is added twice,
// and figures already present are never overwritten.
import { type Clock, systemClock } from '../clock.ts';
import { seedCoordinates } from '../../db/seed/map.ts';
import { seedAuthority } from '../../db/seed/publisher.ts';
import { seedNotices, seedOperation, seedPlaces, seedRoutes, seedSources } from '../../db/seed/reports.ts';
import type { Db } from '../store/database.ts';
import { notifyChange } from '../store/notify.ts';
import {
  ensureOperation,
  ensurePlace,
  ensureRoute,
  ensureSource,
  ensureSourcedNotice,
  fillMovementTexts,
  fillRouteTexts,
  fillSourceTexts,
  insertLegs,
  insertMovementIfAbsent,
} from '../store/repositories/catalog.ts';
import { appendChangeSet, writeCounts } from '../store/repositories/counts.ts';
import { startOfDay, wallClockOn } from './calendar.ts';
import { type CountChange, diffCounts, emptyCounts } from './figures.ts';

export type SeedResult = { movementsAdded: number; routesAdded: number };

const SEED_ACTOR = 'seed: reports of March 2026';

/**
 * When the report's figures were true: its date and time in the operation's zone, or
 * midnight of its date marked "time not reported" when it gives none. Never the load time.
 */
export function reportAsOf(
  source: { publishedOn: string; publishedTime?: string },
  timeZone: string,
): { at: Date; timeKnown: boolean } {
  return source.publishedTime
    ? { at: wallClockOn(source.publishedOn, source.publishedTime, timeZone), timeKnown: true }
    : { at: startOfDay(source.publishedOn, timeZone), timeKnown: false };
}

export async function seedReportedFigures(deps: { db: Db; clock?: Clock }): Promise<SeedResult> {
  const recordedAt = (deps.clock ?? systemClock).now();
  return deps.db.transaction(async (tx) => {
    const sourceIds = new Map<string, number>();
    const sourceAsOf = new Map<string, { at: Date; timeKnown: boolean }>();
    for (const s of seedSources) {
      const { publishedTime: _time, ...row } = s;
      sourceIds.set(s.slug, await ensureSource(tx, row));
      await fillSourceTexts(tx, s.slug, row);
      sourceAsOf.set(s.slug, reportAsOf(s, seedOperation.timeZone));
    }
    const placeIds = new Map<string, number>();
    for (const p of seedPlaces)
      placeIds.set(p.slug, await ensurePlace(tx, { ...p, ...seedCoordinates[p.slug] }));
    const operationId = await ensureOperation(tx, {
      ...seedOperation,
      authority: seedAuthority,
      isPublic: true,
    });

    let noticesAdded = 0;
    for (const n of seedNotices)
      if (
        await ensureSourcedNotice(tx, {
          operationId,
          bodies: n.bodies,
          quote: n.quote,
          sourceId: sourceIds.get(n.source)!,
          pinned: false,
          publishedAt: sourceAsOf.get(n.source)!.at,
        })
      )
        noticesAdded++;

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
        const asOf = sourceAsOf.get(m.source)!;
        const movement = await insertMovementIfAbsent(tx, {
          routeId: route.id,
          label: m.labels.en,
          labels: m.labels,
          kind: m.kind,
          scheduledDate: m.scheduledDate,
          status: m.status,
          // The day the report gives, "time not reported"; no day given: the status is as of the report.
          departedAt: m.departedOn ? startOfDay(m.departedOn, seedOperation.timeZone) : null,
          departedTimeKnown: !m.departedOn,
          statusAsOf: m.status === 'planned' ? null : asOf.at,
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
        await writeCounts(tx, movement.id, counts, { sourceId, actorId: null, at: recordedAt });
        await appendChangeSet(
          tx,
          {
            movementId: movement.id,
            actorId: null,
            actorLabel: SEED_ACTOR,
            reason: m.notes.en ?? m.labels.en,
            sourceId,
            asOf: asOf.at,
            asOfTimeKnown: asOf.timeKnown,
            versionBefore: movement.version,
            versionAfter: movement.version,
          },
          changes,
        );
      }
    }
    if (routesAdded > 0 || noticesAdded > 0) await notifyChange(tx, { operationId, kind: 'seed' });
    return { routesAdded, movementsAdded };
  });
}
