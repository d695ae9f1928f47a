// One build of the public cache: the projection of every public operation, read
// in one transaction (by the projector's worker from its own pool on PostgreSQL),
// projected by the projector (a worker thread in the server: projector.ts), and
// the renditions made from it. A build that cannot be made
// with a good one behind it gives a build of the last good figures, marked why:
//   degraded — the database could not be read (the page says "figures as of …");
//   refused  — the disclosure audit refused the new state (docs/privacy.md): the
//              last safe copy stays, unmarked on the public page (a marker would
//              itself tell a reader something changed), and staff see it.
// Every failure is logged once here, with its stack and its kind.
import type { Clock } from '../clock.ts';
import type { Release } from '../domain/disclosure.ts';
import type { PublicProjection } from '../domain/privacy.ts';
import { loadPublicSnapshots } from '../domain/public-status.ts';
import type { SnapshotReader } from '../domain/snapshot-reader.ts';
import { AppError } from '../errors.ts';
import type { Lang } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { Database } from '../store/database.ts';
import { type DisclosureLedger, type Held, LIVE } from './disclosure-ledger.ts';
import { type ProjectionInput, type Projector, projectionTimes } from './projector.ts';
import type { PublicFormat, Rendered, Rendition } from './rendition.ts';

// Defined with the renditions made of them (rendition.ts); re-exported for the outputs' modules.
export type { PublicFormat, Rendered } from './rendition.ts';
export type RenderFn = (
  projection: PublicProjection,
  lang: Lang,
  format: PublicFormat,
  meta: { degradedAsOf?: Date },
) => Rendered;

export type Build = {
  gen: number;
  /** Renditions finished (served without waiting) and in progress. */
  ready: Map<string, Rendition>;
  projection: PublicProjection;
  /** When the figures were read from the database. */
  readAt: Date;
  expiresAt: number;
  degradedAsOf?: Date;
  /** The audit refused the state read at this time; this build holds the last safe one. */
  refusedAt?: Date;
  /** The operations the audit refused, from the refused projection (not the copy this build holds). */
  refusedOperations?: BuildRefusal['operations'];
  renditions: Map<string, Promise<Rendition>>;
};

/**
 * Why the last build did not publish new figures, for the staff dashboard: `at` the latest
 * refused build, `since` the first of the refusals in a row (the public copy is older still).
 */
export type BuildRefusal = {
  at: Date;
  since: Date;
  operations: { operationId: number; failures: string[] }[];
};

type Deps = {
  database: Database;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  projector: Projector;
  /** Shared with every process through the database; without it, the last build of this one. */
  ledger?: DisclosureLedger;
  /** Where the snapshots are read here (not in the projector): again only what changed. */
  reader?: SnapshotReader;
};

/** Audits again when another process recorded a state meanwhile, at most this many times. */
const RECORD_ATTEMPTS = 4;

/** The last good build again, until the retry: the figures could not be read or recorded. */
function degraded(lastGood: Build | undefined, at: Date, o: BuildOptions, err: unknown): Build {
  if (!lastGood) throw err instanceof AppError ? err : new AppError('db_unavailable', 'Figures unavailable.');
  return { ...copyOf(lastGood, at, o.gen, o.retryMs), degradedAsOf: lastGood.readAt };
}

type BuildOptions = {
  gen: number;
  ttlMs: number;
  retryMs: number;
  lastGood: Build | undefined;
  /**
   * The projection passed the disclosure audit and is about to be recorded: its outputs may
   * be rendered now, to be published only if the build that holds it lands (cache-renditions.ts).
   */
  onAudited?: (projection: PublicProjection) => void;
};

/** The snapshots, read where they will be projected when the projector can (its worker's pool). */
async function readSnapshots(deps: Deps, at: Date) {
  if (deps.projector.read) {
    const read = await deps.projector.read(at);
    return { operationIds: read.operationIds, snapshots: read as ProjectionInput['snapshots'] };
  }
  const snapshots = deps.reader
    ? await deps.reader.read(deps.database.db, at)
    : await loadPublicSnapshots({ db: deps.database.db, now: at });
  return { operationIds: snapshots.map((s) => s.operation.id), snapshots };
}

export async function readBuild(deps: Deps, o: BuildOptions): Promise<Build> {
  const at = deps.clock.now();
  const started = performance.now();
  let read: Awaited<ReturnType<typeof readSnapshots>>;
  try {
    read = await readSnapshots(deps, at);
  } catch (err) {
    deps.logger.warn({ err, kind: 'public_read_failed' }, 'public build: cannot read the figures');
    return degraded(o.lastGood, at, o, err);
  }
  const readMs = performance.now() - started;
  const spent: Spent = { projectMs: 0, recordMs: 0 };
  const projected = await recordedProjection(deps, o, { ...read, at }, spent);
  if ('gen' in projected) return projected;
  const projection = projected.projection;
  observeSteps(deps.metrics, projection, readMs, spent);
  if (!projection.disclosure.ok) return refused(deps, o, projection, at);
  const until = projection.validUntil ? projection.validUntil.getTime() : Infinity;
  deps.metrics.publicCache.inc({ outcome: 'rebuild' });
  return {
    gen: o.gen,
    projection,
    readAt: at,
    expiresAt: Math.min(at.getTime() + o.ttlMs, until),
    ready: new Map(),
    renditions: new Map(),
  };
}

/**
 * The projection, audited with every state a reader can hold and recorded as the live one
 * (docs/privacy.md); or, when that cannot be done, the build to serve instead.
 */
async function recordedProjection(
  deps: Deps,
  o: BuildOptions,
  read: { operationIds: number[]; snapshots: ProjectionInput['snapshots']; at: Date },
  spent: Spent,
): Promise<{ projection: PublicProjection } | Build> {
  const { at } = read;
  for (let attempt = 1; ; attempt++) {
    let held: Map<number, Held> | undefined;
    let t = performance.now();
    try {
      held = deps.ledger ? await deps.ledger.held(read.operationIds) : undefined;
    } catch (err) {
      deps.logger.warn(
        { err, kind: 'public_read_failed' },
        'public build: cannot read the disclosure ledger',
      );
      return degraded(o.lastGood, at, o, err);
    }
    spent.recordMs += performance.now() - t;
    t = performance.now();
    // Audited with the live version and the latest day's end every process published; else
    // (no ledger) with this process's previous build, by reference (a worker may hold it).
    const p = await deps.projector.project({
      snapshots: read.snapshots,
      at,
      ...(held
        ? { previous: heldStates(held), memory: deps.ledger!.memory }
        : { previousFrom: o.lastGood?.projection }),
    });
    spent.projectMs += performance.now() - t;
    t = performance.now();
    // Rendered while it is recorded (a write, on this thread); nothing is served before
    // readBuild returns the build that holds it, and a state not recorded is never held.
    if (p.disclosure.ok) o.onAudited?.(p);
    try {
      const recorded = !held || !p.disclosure.ok || (await recordLive(deps.ledger!, held, p));
      spent.recordMs += performance.now() - t;
      if (recorded) return { projection: p };
    } catch (err) {
      // Not recorded (a full disk refuses every write, or the database is gone). Readers
      // keep the last good copy until the retry, as when the figures cannot be read. A
      // process with no copy yet serves this state, audited with every recorded one,
      // rather than no page at all (docs/privacy.md, "Across processes").
      deps.logger.warn(
        { err, kind: 'public_record_failed' },
        'public build: cannot record the new state in the disclosure ledger',
      );
      return o.lastGood ? degraded(o.lastGood, at, o, err) : { projection: p };
    }
    if (attempt >= RECORD_ATTEMPTS) {
      deps.logger.warn(
        { kind: 'disclosure_record_conflict' },
        'public build: other processes kept publishing',
      );
      if (!o.lastGood) throw new AppError('db_unavailable', 'Figures unavailable.');
      return copyOf(o.lastGood, at, o.gen, o.retryMs);
    }
  }
}

/** Wall time of a build's steps after the read: projecting (every attempt), and the ledger's reads and writes. */
type Spent = { projectMs: number; recordMs: number };

/**
 * The build's steps (corridor_public_build_seconds): read; project (asked and answered, wall);
 * of it, audit (suppression and its audit) and handover (the wait for the worker and the
 * crossing, both ways), when measured where it ran; record (the disclosure ledger).
 */
function observeSteps(metrics: Metrics, projection: PublicProjection, readMs: number, spent: Spent) {
  const observe = (step: string, ms: number) => metrics.publicBuildSeconds.observe({ step }, ms / 1000);
  observe('read', readMs);
  observe('project', spent.projectMs);
  observe('record', spent.recordMs);
  const times = projectionTimes(projection);
  if (!times) return;
  observe('audit', times.auditMs);
  observe('handover', Math.max(0, spent.projectMs - times.ms));
}

/** The audit refused the new figures: the last safe copy stays, the refusal for staff. */
function refused(deps: Deps, o: BuildOptions, projection: PublicProjection, at: Date): Build {
  const failing = projection.disclosure.operations.filter((d) => !d.ok);
  const refusedOperations = failing.map((d) => ({ operationId: d.operationId, failures: d.failures }));
  deps.metrics.publicCache.inc({ outcome: 'refused' });
  deps.logger.error(
    { kind: 'disclosure_refused', operations: refusedOperations },
    'public build: the disclosure audit refused the new figures; the last safe copy stays',
  );
  if (!o.lastGood) throw new AppError('internal', 'No safe copy of the figures yet.');
  return { ...copyOf(o.lastGood, at, o.gen, o.retryMs), refusedAt: at, refusedOperations };
}

/** Per operation: the states a reader can hold with the new one (the live version first). */
function heldStates(held: Map<number, Held>): Map<number, Release[]> {
  const out = new Map<number, Release[]>();
  for (const [id, h] of held)
    out.set(
      id,
      [h.live, h.lastDay].filter((x) => x !== undefined).map((x) => x.release),
    );
  return out;
}

/** Records each operation's new live state; false if another process recorded one first. */
async function recordLive(ledger: DisclosureLedger, held: Map<number, Held>, p: PublicProjection) {
  // Made in the worker: its text and printed values came with it (no read-back here).
  const made = p.disclosure.records?.map((r, i) => ({
    operationId: r.operationId,
    state: { point: LIVE, text: r.text, printed: r.printed, release: () => p.disclosure.releases[i]! },
  }));
  const states =
    made ??
    p.disclosure.releases.map((release) => ({
      operationId: release.operationId,
      state: { point: LIVE, release },
    }));
  for (const { operationId, state } of states) {
    const h = held.get(operationId);
    if (h && !(await ledger.record(h, [state]))) return false;
  }
  return true;
}

function copyOf(lastGood: Build, at: Date, gen: number, retryMs: number): Build {
  return {
    gen,
    projection: lastGood.projection,
    readAt: lastGood.readAt,
    expiresAt: at.getTime() + retryMs,
    ready: new Map(),
    renditions: new Map(),
  };
}
