// What `npm run digest` says after a run: exactly what happened to every
// delivery — sent, failed, uncertain, skipped, and what is still held by a lease
// (another process sending, or one that stopped) and until when.
import type { DrainStats } from '../domain/digest/deliver.ts';
import type { Database } from '../store/database.ts';
import { deliveryCounts, leasedDeliveries, nextAttemptAt } from '../store/repositories/digest.ts';

const STATUS_ORDER = ['sent', 'queued', 'claimed', 'sending', 'failed', 'gave_up', 'uncertain', 'skipped'];

export async function reportDrain(
  database: Database,
  label: string,
  stats: DrainStats,
  now: Date,
): Promise<{ text: string; ok: boolean; fields: Record<string, string | number | boolean | undefined> }> {
  const lines = [
    `${label}: this run sent ${stats.sent}, failed ${stats.failed}, uncertain ${stats.uncertain}, skipped ${stats.skipped}` +
      (stats.requeued
        ? `; ${stats.requeued} claimed by a stopped process were never sent and went back to the queue`
        : ''),
  ];
  if (stats.stoppedBy === 'mail_server')
    lines.push(
      '  stopped early: the mail server did not answer; the rest is sent on the next run or scheduler tick',
    );
  if (stats.stoppedBy === 'database')
    lines.push(
      '  STOPPED: the database could not record a delivery, so nothing more was sent' +
        (stats.unrecorded
          ? `; sends whose outcome could not be recorded: ${stats.unrecorded} (marked uncertain when their lease ends, never resent automatically)`
          : '; every send was recorded once it was back'),
    );
  let ok = stats.failed === 0 && stats.uncertain === 0 && !stats.halted;
  // The same for scripts (src/cli/run-cli.ts, outcome): docs/digest.md lists the keys.
  const fields: Record<string, string | number | boolean | undefined> = {
    digest: 'drained',
    run: stats.runId,
    ...{ sent: stats.sent, failed: stats.failed, uncertain: stats.uncertain, skipped: stats.skipped },
    ...{ requeued: stats.requeued, stopped: stats.stoppedBy, unrecorded: stats.unrecorded },
  };
  try {
    const counts = await deliveryCounts(database, stats.runId);
    const leased = await leasedDeliveries(database, stats.runId, now);
    const next = await nextAttemptAt(database, stats.runId);
    const totals = STATUS_ORDER.filter((s) => counts[s]).map((s) => `${s} ${counts[s]}`);
    Object.assign(fields, { leased_sending: leased.sending, leased_claimed: leased.claimed });
    if (leased.until) fields.leased_until = leased.until.toISOString();
    lines.push(`  all deliveries of the run: ${totals.join(', ') || 'none'}`);
    if (leased.sending + leased.claimed > 0)
      lines.push(
        `  held by a lease until ${leased.until!.toISOString()}: ${leased.sending} handed to the mail server with no outcome recorded yet, ` +
          `${leased.claimed} claimed but not started (another process is sending them, or one stopped: then the first become ` +
          'uncertain and are never resent, the others go back to the queue)',
      );
    if (next)
      lines.push(
        `  next retry due ${next.toISOString()} (the scheduler or another run of this command sends it)`,
      );
    if (counts.uncertain) {
      ok = false;
      lines.push(
        `  ${counts.uncertain} uncertain: may or may not have arrived; listed at /staff/digest/uncertain, where an admin can resend them`,
      );
    }
    if (leased.sending + leased.claimed > 0) ok = false;
  } catch {
    ok = false;
    lines.push('  (the totals could not be read: the database is not answering)');
    fields.totals = 'unread';
  }
  fields.ok = ok;
  return { text: lines.join('\n'), ok, fields };
}
