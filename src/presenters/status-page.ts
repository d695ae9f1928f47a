// Snapshot → view model of the public status page. All formatting happens here.
import { type Lang, LANGUAGES, localized, t } from '../i18n/index.ts';
import { GROUPS, STAGES, type Stage, notBrokenDown } from '../domain/figures.ts';
import type { Snapshot, SnapshotMovement, SnapshotSource } from '../domain/snapshot.ts';
import { formatDateTime, formatDay, formatFigure } from './format.ts';

function sumStage(movements: SnapshotMovement[], stage: Stage): number | null {
  const known = movements.map((m) => m.counts[stage].total).filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
}

function sourceLabel(lang: Lang, s: SnapshotSource | undefined) {
  if (!s) return undefined;
  return { title: s.title, outlet: s.outlet, date: formatDay(lang, s.publishedOn), url: s.url, file: s.file };
}

export function presentStatusPage(snapshots: Snapshot[], lang: Lang, now: Date) {
  return {
    lang,
    title: t(lang, 'site.title'),
    languages: LANGUAGES.map((l) => ({
      code: l,
      label: l.toUpperCase(),
      current: l === lang,
      href: `/?lang=${l}`,
    })),
    empty: snapshots.length === 0,
    generatedAt: now.toISOString(),
    operations: snapshots.map((snap) => {
      const tz = snap.operation.timeZone;
      const all = snap.routes.flatMap((r) => r.movements);
      return {
        name: localized(snap.operation.names, lang),
        updated: formatDateTime(lang, snap.lastUpdatedAt, tz),
        updatedIso: snap.lastUpdatedAt.toISOString(),
        totals: STAGES.map((stage) => ({
          label: t(lang, `stage.${stage}`),
          value: formatFigure(lang, sumStage(all, stage)),
        })),
        routes: snap.routes.map((r) => ({
          name: localized(r.names, lang),
          note: r.publicNote,
          source: sourceLabel(lang, r.sourceId ? snap.sources.get(r.sourceId) : undefined),
          legs: r.legs.map((l) => ({
            from: localized(l.from.names, lang),
            to: localized(l.to.names, lang),
            mode: t(lang, `mode.${l.mode}`),
            crossing: l.crossesBorder ? t(lang, `crossing.${l.crossingStatus ?? 'unknown'}`) : null,
          })),
          hasMovements: r.movements.length > 0,
          movements: r.movements.map((m) => ({
            label: m.label,
            date: m.scheduledDate ? formatDay(lang, m.scheduledDate) : t(lang, 'movement.date_not_reported'),
            status: t(lang, `movement.status.${m.status}`),
            delayed: m.delayed,
            note: m.publicNote,
            updated: formatDateTime(lang, m.updatedAt, tz),
            stages: STAGES.map((stage) => ({
              label: t(lang, `stage.${stage}`),
              total: formatFigure(lang, m.counts[stage].total),
              groups: GROUPS.filter((g) => m.counts[stage][g] !== null).map((g) => ({
                label: t(lang, `group.${g}`),
                value: formatFigure(lang, m.counts[stage][g]),
              })),
              rest:
                GROUPS.some((g) => m.counts[stage][g] !== null) && (notBrokenDown(m.counts[stage]) ?? 0) > 0
                  ? formatFigure(lang, notBrokenDown(m.counts[stage]))
                  : null,
            })),
            source: sourceLabel(
              lang,
              snap.sources.get(m.countsSourceId ?? m.sourceId ?? -1) ??
                (m.sourceId ? snap.sources.get(m.sourceId) : undefined),
            ),
          })),
        })),
        sources: [...snap.sources.values()].map((s) => sourceLabel(lang, s)),
      };
    }),
  };
}
