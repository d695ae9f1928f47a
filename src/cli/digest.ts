// npm run digest -- --date 2026-03-03 [--dry-run] [--to someone@example.org]
//                   [--operation slug] [--lang kk|ru|en] [--audience public|staff]
//
// Without --dry-run/--to: claims that day's run (or resumes it) and sends what is
// due, exactly as the scheduler would — a run already sent is never sent again.
// --dry-run: prints what would be sent and writes nothing.
// --to: sends that day's digest to one address only (a test), recorded nowhere.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { openConfiguredDatabase, prepareDatabase } from '../bootstrap.ts';
import { systemClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import type { Audience } from '../domain/digest/content.ts';
import { forRoutes } from '../domain/digest/derive.ts';
import { isDay } from '../domain/digest/day.ts';
import { digestMail, drainRun, unsubscribeUrl } from '../domain/digest/deliver.ts';
import { claimDigestRun, computeDigest, runContent } from '../domain/digest/run.ts';
import { normaliseEmail } from '../domain/subscriptions.ts';
import { LANGUAGES, isLang } from '../i18n/index.ts';
import { createLogger } from '../log.ts';
import { createDigestComposer } from '../mail/compose.ts';
import { createMailer } from '../mail/mailer.ts';
import { listOperations } from '../store/repositories/catalog.ts';
import { deliveryCounts, findRun, nextAttemptAt } from '../store/repositories/digest.ts';
import { findSubscriberByEmail, routesOfSubscriber } from '../store/repositories/subscribers.ts';
import { createRenderer } from '../views.ts';

const { values } = parseArgs({
  options: {
    date: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    to: { type: 'string' },
    operation: { type: 'string' },
    lang: { type: 'string', default: 'en' },
    audience: { type: 'string', default: 'public' },
    concurrency: { type: 'string', default: '4' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const day = values.date ?? fail('--date YYYY-MM-DD is required');
if (!isDay(day)) fail(`--date: "${day}" is not a calendar day (YYYY-MM-DD)`);
if (!isLang(values.lang)) fail(`--lang must be one of ${LANGUAGES.join(', ')}`);
if (values.audience !== 'public' && values.audience !== 'staff') fail('--audience must be public or staff');
const lang = values.lang;
const audience = values.audience as Audience;

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const database = await openConfiguredDatabase(config, logger);
const mailer = createMailer(config);
const composeDigest = createDigestComposer(createRenderer(), config.PUBLIC_BASE_URL);
let exitCode = 0;
try {
  await prepareDatabase(database, { seed: config.SEED_ON_EMPTY, logger });
  const operations = (await listOperations(database.db)).filter((o) =>
    values.operation ? o.slug === values.operation : o.status === 'active',
  );
  if (operations.length === 0)
    fail(values.operation ? `No operation "${values.operation}".` : 'No active operation.');
  const now = systemClock.now();
  for (const operation of operations) {
    const label = `${operation.slug} ${day}`;
    if (values['dry-run'] || values.to) {
      const stored = await findRun(database.db, operation.id, day);
      const content =
        (stored && runContent(stored)) || (await computeDigest({ database }, { operation, day, now }));
      const version = audience === 'staff' ? content.staff : content.public;
      if (values['dry-run']) {
        const recipients = await database.db.query.subscribers.findMany({
          where: (s, { and, eq }) => and(eq(s.operationId, operation.id), eq(s.status, 'active')),
          columns: { audience: true, language: true },
        });
        const tally = new Map<string, number>();
        for (const r of recipients)
          tally.set(`${r.audience}/${r.language}`, (tally.get(`${r.audience}/${r.language}`) ?? 0) + 1);
        const parts = composeDigest({
          content: version,
          lang,
          unsubscribeUrl: `${config.PUBLIC_BASE_URL}/subscribe`,
        });
        console.log(
          `${label}: ${stored ? `run #${stored.id} exists (as stored)` : 'no run yet (computed now)'}`,
        );
        console.log(
          `recipients: ${recipients.length} (${[...tally].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`,
        );
        console.log(`subject (${audience}, ${lang}): ${parts.subject}\n\n${parts.text}`);
        continue;
      }
      const to = normaliseEmail(values.to!);
      const subscriber = await findSubscriberByEmail(database.db, operation.id, to);
      const routeIds =
        subscriber && !subscriber.allRoutes ? await routesOfSubscriber(database.db, subscriber.id) : null;
      const url = subscriber
        ? unsubscribeUrl(config.PUBLIC_BASE_URL, subscriber.unsubscribeToken)
        : `${config.PUBLIC_BASE_URL.replace(/\/$/, '')}/subscribe`;
      const parts = composeDigest({ content: forRoutes(version, routeIds), lang, unsubscribeUrl: url });
      const sent = await mailer.send(
        digestMail(config, parts, {
          to,
          lang,
          slug: operation.slug,
          messageId: `digest-test-${Date.now()}`,
          unsubscribeUrl: url,
        }),
      );
      console.log(
        `${label}: sent the ${audience} digest in ${lang} to one address (${mailer.kind}: ${sent.response})`,
      );
      continue;
    }
    const claim = await claimDigestRun(
      { database },
      { operation, day, now, claimedBy: `cli:${os.hostname()}:${process.pid}` },
    );
    console.log(
      claim.created
        ? `${label}: run #${claim.run.id} claimed, ${claim.queued} recipients`
        : `${label}: run #${claim.run.id} exists; resuming`,
    );
    const stats = await drainRun(
      { database, clock: systemClock, mailer, logger, composeDigest, config },
      claim.run.id,
      {
        concurrency: Number(values.concurrency) || 4,
        onSent: (id) => logger.debug({ deliveryId: id }, 'sent'),
      },
    );
    const counts = await deliveryCounts(database, claim.run.id);
    const next = await nextAttemptAt(database, claim.run.id);
    console.log(
      `${label}: sent now ${stats.sent}, failed now ${stats.failed}; totals ${JSON.stringify(counts)}` +
        (next
          ? `; next retry due ${next.toISOString()} (the scheduler or another run of this command sends it)`
          : ''),
    );
    if (stats.failed > 0 || (counts.uncertain ?? 0) > 0) exitCode = 1;
  }
} finally {
  await mailer.close();
  await database.close();
}
process.exit(exitCode);
