// npm run digest -- --date 2026-03-03 [--dry-run] [--to someone@example.org]
//                   [--operation slug] [--lang kk|ru|en] [--audience public|staff]
//
// Without --dry-run/--to: claims that day's run (or resumes it) and sends what is
// due, exactly as the scheduler would — a run already sent is never sent again.
// --dry-run: prints what would be sent and writes nothing.
// --to: sends that day's digest to one address only (a test), recorded nowhere.
// A day whose send time has not come is refused (exit 2, nothing written) unless
// --dry-run or --to; a day after today is always refused.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { openConfiguredDatabase, prepareDatabase } from '../bootstrap.ts';
import { systemClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { forRoutes } from '../domain/digest/derive.ts';
import { isDay, sendTime } from '../domain/digest/day.ts';
import { digestMail, drainRun, unsubscribeUrl } from '../domain/digest/deliver.ts';
import { claimDigestRun, computeDigest, runContent } from '../domain/digest/run.ts';
import { digestDayState } from '../domain/digest/when.ts';
import { FIRST_YEAR, LAST_YEAR, yearInWindow } from '../domain/input-rules.ts';
import { normaliseEmail } from '../domain/subscriptions.ts';
import { unsubscribeTokenOf } from '../domain/unsubscribe-links.ts';
import { LANGUAGES, isLang, localized } from '../i18n/index.ts';
import { createLogger } from '../log.ts';
import { createDigestComposer } from '../mail/compose.ts';
import { createMailer, withoutOneClick } from '../mail/mailer.ts';
import { newMessageId } from '../mail/message-id.ts';
import { signUpPath } from '../public/urls.ts';
import { listOperations } from '../store/repositories/catalog.ts';
import { findRun } from '../store/repositories/digest.ts';
import { findSubscriberByEmail, routesOfSubscriber } from '../store/repositories/subscribers.ts';
import { createRenderer } from '../views.ts';
import { reportDrain } from './digest-report.ts';
import { outcome, refuse } from './run-cli.ts';

const USAGE = `usage: npm run digest -- --date YYYY-MM-DD [options]

  --date YYYY-MM-DD        the day (in the operation's time zone); required
  --dry-run                print what would be sent (recipients per version and language, the text); write nothing
  --to ADDRESS             send that day's digest to this one address only (a test; recorded nowhere)
  --lang kk|ru|en          the language of a --to or --dry-run message (default en)
  --audience public|staff  which version (default public)
  --operation SLUG         one operation (default: every active one)
  --concurrency N          deliveries sent at once (default 4)
  --settle-seconds N       after the database stops mid-run, how long to wait to record what was sent (default 30)

Without --dry-run or --to: claims (or resumes) that day's run and sends what is due, as the
scheduler would; a run already sent is never sent again. More: docs/digest.md.`;

// Before parseArgs, which refuses any option it does not know: --help is asked for by people.
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}

const { values } = parseArgs({
  options: {
    date: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    to: { type: 'string' },
    operation: { type: 'string' },
    lang: { type: 'string', default: 'en' },
    audience: { type: 'string', default: 'public' },
    concurrency: { type: 'string', default: '4' },
    /** After the database stops answering mid-run, how long to wait to record what was sent. */
    'settle-seconds': { type: 'string', default: '30' },
  },
});

/** A refusal: the sentence, then its stable code (`error=<code>`, as every CLI: run-cli.ts). */
function fail(code: string, message: string, field?: string): never {
  refuse(code, message, field);
  process.exit(2);
}

const day = values.date ?? fail('required', '--date YYYY-MM-DD is required', 'date');
if (!isDay(day)) fail('invalid_day', `--date: "${day}" is not a calendar day (YYYY-MM-DD)`, 'date');
if (!yearInWindow(Number(day.slice(0, 4))))
  fail(
    'day_out_of_range',
    `--date: "${day}" is outside the years ${FIRST_YEAR}–${LAST_YEAR}; nothing was sent or written.`,
    'date',
  );
if (!isLang(values.lang)) fail('invalid_language', `--lang must be one of ${LANGUAGES.join(', ')}`, 'lang');
if (values.audience !== 'public' && values.audience !== 'staff')
  fail('invalid_audience', '--audience must be public or staff', 'audience');
const lang = values.lang;
const audience = values.audience;
const preview = values['dry-run'] || Boolean(values.to);

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
    fail('not_found', values.operation ? `No operation "${values.operation}".` : 'No active operation.');
  const now = systemClock.now();
  // Checked for every operation before anything is claimed or sent.
  for (const operation of operations) {
    const state = digestDayState(day, now, operation);
    const due = sendTime(day, operation.digestTime, operation.timeZone).toISOString();
    if (state === 'future')
      fail(
        'day_not_begun',
        `${operation.slug} ${day}: that day has not begun in ${operation.timeZone}; nothing was sent or written.`,
      );
    if (state === 'not_yet_due' && !preview)
      fail(
        'digest_not_due',
        `${operation.slug} ${day}: that day's digest is not due until ${operation.digestTime} ${operation.timeZone} (${due}); ` +
          'nothing was sent or written. The scheduler sends it then; use --dry-run or --to to look at it now.',
      );
  }
  for (const operation of operations) {
    const label = `${operation.slug} ${day}`;
    const where = { operation: operation.slug, day };
    if (preview) {
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
          unsubscribeUrl: `${config.PUBLIC_BASE_URL.replace(/\/$/, '')}${signUpPath(lang)}`,
        });
        console.log(
          `${label}: ${stored ? `run #${stored.id} exists (as stored)` : 'no run yet (computed now)'}`,
        );
        console.log(
          `recipients: ${recipients.length} (${[...tally].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`,
        );
        console.log(`subject (${audience}, ${lang}): ${parts.subject}\n\n${parts.text}`);
        outcome({
          digest: 'preview',
          ...where,
          run: stored?.id ?? 'none',
          recipients: recipients.length,
          audience,
          lang,
        });
        continue;
      }
      const to = normaliseEmail(values.to!);
      const subscriber = await findSubscriberByEmail(database.db, operation.id, to);
      const routeIds =
        subscriber && !subscriber.allRoutes ? await routesOfSubscriber(database.db, subscriber.id) : null;
      const url = subscriber
        ? unsubscribeUrl(
            config.PUBLIC_BASE_URL,
            await unsubscribeTokenOf({ db: database.db, config }, subscriber.id),
            lang,
          )
        : `${config.PUBLIC_BASE_URL.replace(/\/$/, '')}${signUpPath(lang)}`;
      const parts = composeDigest({ content: forRoutes(version, routeIds), lang, unsubscribeUrl: url });
      // A test message: no one-click unsubscribe (RFC 8058), whoever it is sent to.
      const sent = await mailer.send(
        withoutOneClick(
          digestMail(config, parts, {
            to,
            lang,
            slug: operation.slug,
            messageId: newMessageId('digest-test', config.MAIL_FROM),
            unsubscribeUrl: url,
            fromName: operation.authority ? localized(operation.authority, lang) : null,
          }),
        ),
      );
      console.log(
        `${label}: sent the ${audience} digest in ${lang} to one address (${mailer.kind}: ${sent.response})`,
      );
      outcome({ digest: 'test_sent', ...where, audience, lang, to: 1 });
      continue;
    }
    const claim = await claimDigestRun(
      { database, config },
      { operation, day, now, claimedBy: `cli:${os.hostname()}:${process.pid}` },
    );
    console.log(
      claim.created
        ? `${label}: run #${claim.run.id} claimed, ${claim.queued} recipients`
        : `${label}: run #${claim.run.id} exists; resuming`,
    );
    outcome({
      digest: claim.created ? 'claimed' : 'resumed',
      ...where,
      run: claim.run.id,
      recipients: claim.created ? claim.queued : undefined,
    });
    const stats = await drainRun(
      { database, clock: systemClock, mailer, logger, composeDigest, config },
      claim.run.id,
      {
        concurrency: Number(values.concurrency) || 4,
        settleWithinMs: Number(values['settle-seconds']) * 1000,
        onSent: (id) => logger.debug({ deliveryId: id }, 'sent'),
      },
    );
    const report = await reportDrain(database, label, stats, systemClock.now());
    console.log(report.text);
    outcome({ digest: 'drained', ...where, ...report.fields });
    if (!report.ok) exitCode = 1;
  }
} finally {
  await mailer.close();
  // The run's outcome is already reported; a failing close at exit changes nothing.
  await database.close().catch(() => {});
}
process.exit(exitCode);
