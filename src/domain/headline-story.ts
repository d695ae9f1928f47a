// The one-sentence status at the top of the public page, as clauses chosen from
// the public projection: everyone on evacuation lists, on the way or home (the
// reconciled headline of headline.ts, through the projection's totals), then
// where they are — home, on the way (with the movement when there is one), stage
// not reported, waiting (with the next departure). The presenter (presenters/public-story.ts) words
// the clauses; this only decides which ones and with which figures. A bucket
// that is exactly zero says nothing; unknown is never turned into zero.
import type { PublicFigure, PublicOperation, PublishedMovement } from './public-projection.ts';
import { localDay } from './calendar.ts';
import { nextDeparture } from './next-departure.ts';
import type { LocalizedText } from '../../db/schema.ts';

export type StoryClause =
  | { kind: 'home'; figure: PublicFigure }
  | {
      kind: 'left';
      figure: PublicFigure;
      /** The one movement under way, when there is exactly one: its day and route. */
      movement: { day: string | null; route: LocalizedText } | null;
      /** How many movements are under way (more than one: no single day to say). */
      movements: number;
    }
  | {
      kind: 'stage_not_reported';
      figure: PublicFigure;
      /** The one movement whose stage is not reported, when there is exactly one. */
      movement: { day: string | null; route: LocalizedText; arrived: boolean } | null;
    }
  | {
      kind: 'waiting';
      figure: PublicFigure;
      next: { day: string | null; route: LocalizedText; overdue: boolean } | null;
    };

export type HeadlineStory = { total: PublicFigure; clauses: StoryClause[] };

const isZero = (f: PublicFigure) => f.kind === 'value' && f.value === 0;
const sameFigure = (a: PublicFigure, b: PublicFigure) =>
  a.kind === 'value' && b.kind === 'value' && a.value === b.value;

export function headlineStory(op: PublicOperation): HeadlineStory {
  const clauses: StoryClause[] = [];
  const { totals } = op;
  if (!isZero(totals.arrived)) clauses.push({ kind: 'home', figure: totals.arrived });
  const unplaced = !isZero(totals.stageNotReported);
  // "On the way: not reported" says nothing the stage-not-reported clause does not.
  if (!isZero(totals.onTheWay) && !(unplaced && totals.onTheWay.kind === 'not_reported')) {
    const underWay = published(op).filter(
      ({ m }) => m.status === 'departed' && m.figures.departed.kind !== 'not_reported',
    );
    // One movement under way whose departed figure is the whole bucket: name it.
    const only = underWay.length === 1 ? underWay[0]! : null;
    const one = only && sameFigure(only.m.figures.departed, totals.onTheWay) ? only : null;
    clauses.push({
      kind: 'left',
      figure: totals.onTheWay,
      movement: one ? { day: dayLeft(one.m, op.timeZone), route: one.route } : null,
      movements: underWay.length,
    });
  }
  if (unplaced) {
    // As movementShare (headline.ts) places them: left with no departed figure, or
    // recorded as arrived with no arrived figure.
    const open = published(op).filter(({ m }) =>
      m.status === 'arrived'
        ? m.figures.arrived.kind === 'not_reported'
        : m.figures.departed.kind === 'not_reported',
    );
    const one = open.length === 1 ? open[0]! : null;
    clauses.push({
      kind: 'stage_not_reported',
      figure: totals.stageNotReported,
      movement: one
        ? { day: dayLeft(one.m, op.timeZone), route: one.route, arrived: one.m.status === 'arrived' }
        : null,
    });
  }
  if (!isZero(totals.waiting)) {
    const next = nextDeparture(op.nextDepartures);
    clauses.push({
      kind: 'waiting',
      figure: totals.waiting,
      next: next ? { day: next.scheduledDate, route: next.routeNames, overdue: next.overdue } : null,
    });
  }
  return { total: totals.registered, clauses };
}

function published(op: PublicOperation) {
  const out: { m: PublishedMovement; route: LocalizedText }[] = [];
  for (const r of op.routes) for (const m of r.movements) if (m.published) out.push({ m, route: r.names });
  return out;
}

/** The day it left, in the operation's zone; its scheduled day when the time was not recorded. */
const dayLeft = (m: PublishedMovement, timeZone: string) =>
  m.departedAt ? localDay(m.departedAt, timeZone) : m.scheduledDate;
