// What is derived from a built digest: the change since the previous run, the
// part about a subscriber's chosen routes, and the content stored with a run.
import { STAGES, type Stage } from '../figures.ts';
import type {
  Change,
  DigestContent,
  DigestRunContent,
  Figure,
  MovementLine,
  StageFigureSet,
} from './content-model.ts';

function change(now: Figure, before: Figure | undefined): Change {
  if (now.kind === 'value' && before?.kind === 'value')
    return { kind: 'delta', value: now.value - before.value };
  if (now.kind === 'not_reported' && (!before || before.kind === 'not_reported'))
    return { kind: 'delta', value: 0 };
  // Not reported → a value is the figure's first report, never a gain of that many.
  if (now.kind === 'value' && (!before || before.kind === 'not_reported'))
    return { kind: 'first', value: now.value };
  return { kind: 'unknown' };
}

const changes = (now: StageFigureSet, before: StageFigureSet | undefined) =>
  Object.fromEntries(STAGES.map((s) => [s, change(now[s], before?.[s])])) as Record<Stage, Change>;

/** Annotate `current` with the change since the previous digest's stored figures. */
export function compareWith(current: DigestContent, previous: DigestContent): DigestContent {
  const prevRoutes = new Map(previous.routes.map((r) => [r.id, r.figures]));
  const prevGroups = new Map(previous.groups.map((g) => [g.group, g.figures]));
  return {
    ...current,
    previous: { day: previous.day, generatedAt: previous.generatedAt },
    routes: current.routes.map((r) => ({ ...r, change: changes(r.figures, prevRoutes.get(r.id)) })),
    groups: current.groups.map((g) => ({ ...g, change: changes(g.figures, prevGroups.get(g.group)) })),
  };
}

/** The part of a digest about the chosen routes (totals stay operation-wide). */
export function forRoutes(content: DigestContent, routeIds: number[] | null): DigestContent {
  if (!routeIds) return content;
  const keep = new Set(routeIds);
  const only = (lines: MovementLine[]) => lines.filter((l) => keep.has(l.routeId));
  return {
    ...content,
    departed: only(content.departed),
    arrived: only(content.arrived),
    cancelled: only(content.cancelled),
    scheduledNextDay: only(content.scheduledNextDay),
    routes: content.routes.filter((r) => keep.has(r.id)),
  };
}

/** The content stored with a run, if it is in the form this code reads. */
export function runContent(run: { snapshot: unknown }): DigestRunContent | null {
  const c = run.snapshot as Partial<DigestRunContent> | null;
  return c && c.version === 1 && c.public && c.staff ? (c as DigestRunContent) : null;
}
