// What the staff digest pages read: the operation asked for (by slug, or the first),
// a day's digest as sent or as it would be computed now, and its deliveries.
// Routes call these, never the store.
import type { Database } from '../../store/database.ts';
import { type OperationRow, listOperations } from '../../store/repositories/catalog.ts';
import { deliveryCounts, findRun } from '../../store/repositories/digest.ts';
import { notFound } from '../../errors.ts';
import { localDay } from '../calendar.ts';
import { type DigestDays, computeDigest, runContent } from './run.ts';

/** The operation with this slug (or the first one), and all of them for the chooser. */
export async function operationChoice(deps: { database: Database }, slug: string | undefined) {
  const all = await listOperations(deps.database.db);
  const op = slug ? all.find((o) => o.slug === slug) : all[0];
  if (!op) throw notFound('Operation');
  return { op, all };
}
export type OperationChoice = { op: OperationRow; all: OperationRow[] };

/** A day's digest (today in the operation's zone when no day is given): stored if sent, else live. */
export async function loadDigestPreview(
  deps: DigestDays & { now: Date },
  input: { operation: string | undefined; day: string | undefined },
) {
  const { op, all } = await operationChoice(deps, input.operation);
  const day = input.day ?? localDay(deps.now, op.timeZone);
  const run = await findRun(deps.database.db, op.id, day);
  const stored = run ? runContent(run) : null;
  const content = stored ?? (await computeDigest(deps, { operation: op, day, now: deps.now }));
  const deliveries = run ? await deliveryCounts(deps.database, run.id) : null;
  return { op, all, day, stored, content, deliveries };
}
export type DigestPreview = Awaited<ReturnType<typeof loadDigestPreview>>;
