// The one place that reads the environment. Everything else receives a Config.
import { z } from 'zod';
import { mailDomain } from './mail/message-id.ts';
import { DEVELOPMENT_TAG_AUTHORITY } from './tag-authority.ts';

/**
 * Whether the client libraries can read it as a URL: as pg-connection-string (pg's) and
 * nodemailer do — spaces and stray % encoded first, an empty host allowed before a path (a
 * Unix socket given as ?host=). Checked here so that a typo (a port past 65535, a # in a
 * password) is refused at start naming the variable, not retried as "database unreachable".
 */
function readableUrl(value: string): boolean {
  const text = /[ %]/.test(value) ? encodeURI(value).replace(/%25(\d\d)/g, '%$1') : value;
  for (const candidate of [text, text.replace('@/', '@host/')])
    try {
      new URL(candidate);
      return true;
    } catch {
      // tried below, or not a URL
    }
  return false;
}

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(p)), {
      message: `must start with ${protocols.join(' or ')}`,
    })
    .refine((v) => v === undefined || readableUrl(v), {
      message: 'is not a valid URL (check the port, and percent-encode special characters in the password)',
    });

const optionalText = () =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined));

/** An http(s) URL that is an origin: nothing after the host and port but an optional "/". */
function isOrigin(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.pathname === '/' && !u.search && !u.hash;
  } catch {
    return false;
  }
}

/** RFC 4151 taggingEntity: authorityName "," date. */
const TAGGING_ENTITY =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|[^@\s,]+@[a-z0-9.-]+),\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$/i;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optionalUrl(['postgres://', 'postgresql://']),
  DATA_DIR: z.string().min(1).default('./data'),
  /** The zone staff pages show times in where no operation gives one (accounts, activity). */
  STAFF_TIME_ZONE: z
    .string()
    .default('Asia/Almaty')
    .refine((v) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: v });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Asia/Almaty'),
  /**
   * Where the public site is reached (absolute links in mail, feeds, hreflang). Default
   * http://localhost:$PORT; required in production, and https there unless
   * PUBLIC_BASE_URL_ALLOW_HTTP=true. An origin only: the site lives at its root.
   */
  PUBLIC_BASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || isOrigin(v), {
      message: 'must be an http(s) origin such as https://corridor.example.org (no path, query or fragment)',
    }),
  PUBLIC_BASE_URL_ALLOW_HTTP: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * The tagging entity of the feed's and entries' ids (tag: URIs, RFC 4151): a domain (or
   * e-mail address) the publisher held on a date, `mfa.example.org,2026-03-01`. Set it once
   * and never change it: every id is made from it. Required in production.
   */
  TAG_AUTHORITY: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || TAGGING_ENTITY.test(v), {
      message: 'must be "domain,YYYY", "domain,YYYY-MM" or "domain,YYYY-MM-DD" (RFC 4151)',
    }),
  /** Write the public outputs there as files on every change, for nginx to serve (deploy/nginx.conf). */
  PUBLIC_EXPORT_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .describe('express trust proxy setting: "false", "true", a hop count or a subnet list'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** PostgreSQL down at start: keep trying this long (with a growing delay) before giving up. */
  DB_START_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** The embedded database's memory (docs/operations.md, "Memory"): defaults fit a 1 GB server. */
  PGLITE_SHARED_BUFFERS_MB: z.coerce.number().int().min(1).max(4096).default(16),
  PGLITE_WORK_MEM_MB: z.coerce.number().int().min(1).max(1024).default(4),
  PGLITE_WAL_BUFFERS_MB: z.coerce.number().int().min(1).max(256).default(1),
  PGLITE_MAX_WAL_SIZE_MB: z.coerce.number().int().min(32).max(16384).default(64),
  /**
   * The embedded database on a thread of its own (src/store/pglite-thread.ts): its queries do
   * not hold the event loop, so public reads are answered while a save or a re-read runs.
   * false: on the server's thread, each query taking turns with the requests (pglite-turns.ts).
   */
  PGLITE_THREAD: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /**
   * Let V8 recompile PGlite's hot WebAssembly functions with its optimising compiler. Off
   * (node's --liftoff-only, passed by scripts/start.sh): the compiler's working memory, ~65 MB
   * that glibc keeps once it is freed, is never taken; the app's CPU time measured the same.
   */
  PGLITE_WASM_TIER_UP: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * The V8 heap of each app process (docs/operations.md, "Memory"): node takes them when it
   * starts, so scripts/start.sh (npm start) passes them as --max-old-space-size and
   * --max-semi-space-size; the server warns if it was started without them (src/node-memory.ts).
   */
  NODE_HEAP_MB: z.coerce.number().int().min(64).max(65_536).default(256),
  NODE_SEMI_SPACE_MB: z.coerce
    .number()
    .int()
    .default(2)
    .refine((v) => [1, 2, 4, 8, 16, 32, 64].includes(v), { message: 'must be 1, 2, 4, 8, 16, 32 or 64' }),
  /**
   * The projection worker's young generation (V8's semi-space, MB; 0: the process's,
   * NODE_SEMI_SPACE_MB). Not a node flag: set for that thread alone when it starts
   * (src/node-memory.ts, startWorkerWithSemiSpace; docs/operations.md, "Memory"): 1 took
   * 2–6 MB off the import's peak on PostgreSQL, the apply's CPU +4 % on average (noisy).
   */
  NODE_WORKER_SEMI_SPACE_MB: z.coerce
    .number()
    .int()
    .default(1)
    .refine((v) => [0, 1, 2, 4, 8, 16, 32, 64].includes(v), {
      message: 'must be 0, 1, 2, 4, 8, 16, 32 or 64',
    }),
  /**
   * V8's --optimize-for-size in each app process (both threads): smaller heaps and code at
   * some CPU cost (docs/operations.md, "Memory"; measured in benchmarks.md). Passed by
   * scripts/start.sh like the heap settings.
   */
  NODE_OPTIMIZE_FOR_SIZE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * V8's --heap-growing-percent in each app process (both threads): after a full collection
   * the heap may grow this much past what is live before the next (0: V8's own, up to 30 %
   * with NODE_HEAP_MB=256, never less than 8 MB). Passed by scripts/start.sh like the heap
   * settings (docs/operations.md, "Memory").
   */
  NODE_HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(300).default(0),
  /**
   * V8 keeps less compiled code in each app process (both threads): no baseline (Sparkplug)
   * machine code, and bytecode not run for one full collection dropped (V8's default waits
   * five). Functions still run from bytecode and the hot ones are still optimised. Passed by
   * scripts/start.sh as --no-sparkplug --bytecode-old-age=1 (docs/operations.md, "Memory").
   */
  NODE_LEAN_CODE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Where `npm run db:backup` writes by default (named when a damaged data folder is refused). */
  BACKUP_DIR: z.string().min(1).default('./backups'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Bearer token for GET /metrics; without one only direct loopback requests may read it. */
  METRICS_TOKEN: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || v.length >= 16, { message: 'must be at least 16 characters' }),
  /** Form bodies (urlencoded/json) and the CSV upload, in bytes. */
  FORM_BODY_LIMIT: z.coerce.number().int().min(1024).default(65_536),
  UPLOAD_LIMIT: z.coerce.number().int().min(1024).default(2_097_152),
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Days after an operation is closed before subscriber addresses and staff notes are purged. */
  RETENTION_DAYS: z.coerce.number().int().min(0).default(90),
  /** start:cluster worker count; 0 = one per CPU core. */
  WORKERS: z.coerce.number().int().min(0).max(64).default(0),
  SEED_ON_EMPTY: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** smtp:// or smtps:// (user:pass@host:port); unset = every message is written to OUTBOX_DIR as .eml. */
  SMTP_URL: optionalUrl(['smtp://', 'smtps://']),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(5),
  OUTBOX_DIR: z.string().min(1).default('./outbox'),
  MAIL_FROM: z.string().trim().min(3).default('Corridor <digest@localhost>'),
  /**
   * DKIM signing of every message (all three, or none): the signing domain (MAIL_FROM's
   * domain or a parent of it, for DMARC alignment), the selector whose TXT record at
   * <selector>._domainkey.<domain> holds the public key, and the private key (PEM; "\n"
   * may stand for line breaks). RFC 8058 one-click unsubscribe is offered only when signed.
   */
  DKIM_DOMAIN: optionalText(),
  DKIM_SELECTOR: optionalText(),
  DKIM_PRIVATE_KEY: optionalText().transform((v) => v?.replace(/\\n/g, '\n')),
  /** Run the daily digest scheduler in this process (every process may: the database decides who sends). */
  DIGEST_SCHEDULER: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /**
   * Sign-ups allowed per email address (across every operation) and per client network
   * (IPv4 /24, IPv6 /64; the variable keeps its old name) within SIGNUP_WINDOW_MINUTES.
   */
  SIGNUP_MAX_PER_ADDRESS: z.coerce.number().int().min(1).max(100).default(3),
  SIGNUP_MAX_PER_IP: z.coerce.number().int().min(1).max(10_000).default(20),
  SIGNUP_WINDOW_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  /** Confirmation mails the whole service sends per hour; above it they wait (docs/security.md). */
  CONFIRMATION_MAILS_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(500),
  /** How often each process sends the confirmations that waited (when under the ceiling again). */
  CONFIRMATION_QUEUE_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /**
   * HMAC keys (at least 32 characters): rate-limit keys hold keyed hashes of addresses and
   * networks; unsubscribe links carry a keyed MAC. Unset: generated once into the database.
   */
  RATE_LIMIT_KEY: optionalText().refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters',
  }),
  UNSUBSCRIBE_KEY: optionalText().refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters',
  }),
  /** Staff sessions end after this many minutes without a request… */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  /** …and at the latest this many hours after sign-in. */
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  /** Sign-in attempts allowed per account and per client address in a window. */
  SIGNIN_MAX_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
  SIGNIN_MAX_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(30),
  SIGNIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
});

// Rules across variables, reported under the variable to change.
const checkedSchema = schema
  .superRefine((c, ctx) => {
    if (c.SESSION_IDLE_MINUTES > c.SESSION_ABSOLUTE_HOURS * 60)
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_IDLE_MINUTES'],
        params: { reason: 'exceeds_absolute' },
        message: 'must not exceed SESSION_ABSOLUTE_HOURS (in minutes)',
      });
    const dkim = [c.DKIM_DOMAIN, c.DKIM_SELECTOR, c.DKIM_PRIVATE_KEY].filter(Boolean).length;
    if (dkim > 0 && dkim < 3)
      ctx.addIssue({
        code: 'custom',
        path: [!c.DKIM_DOMAIN ? 'DKIM_DOMAIN' : !c.DKIM_SELECTOR ? 'DKIM_SELECTOR' : 'DKIM_PRIVATE_KEY'],
        params: { reason: 'dkim_incomplete' },
        message: 'DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY go together: set all three or none',
      });
    if (c.DKIM_DOMAIN) {
      const from = mailDomain(c.MAIL_FROM);
      const d = c.DKIM_DOMAIN.toLowerCase();
      if (from !== d && !from.endsWith(`.${d}`))
        ctx.addIssue({
          code: 'custom',
          path: ['DKIM_DOMAIN'],
          params: { reason: 'dkim_not_aligned' },
          message: `must be MAIL_FROM's domain (${from}) or a parent of it, or receivers will not align it (DMARC)`,
        });
    }
    if (c.DKIM_PRIVATE_KEY && !/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(c.DKIM_PRIVATE_KEY))
      ctx.addIssue({
        code: 'custom',
        path: ['DKIM_PRIVATE_KEY'],
        params: { reason: 'not_pem' },
        message: 'must be a PEM private key',
      });
    if (c.NODE_ENV !== 'production') return;
    if (!c.PUBLIC_BASE_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_BASE_URL'],
        params: { reason: 'required_in_production' },
        message: 'is required in production (the address links in mail and feeds lead to)',
      });
    else if (!c.PUBLIC_BASE_URL.startsWith('https://') && !c.PUBLIC_BASE_URL_ALLOW_HTTP)
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_BASE_URL'],
        params: { reason: 'https_required' },
        message: 'must be https in production (or set PUBLIC_BASE_URL_ALLOW_HTTP=true)',
      });
    if (!c.TAG_AUTHORITY)
      ctx.addIssue({
        code: 'custom',
        path: ['TAG_AUTHORITY'],
        params: { reason: 'required_in_production' },
        message: 'is required in production (e.g. mfa.example.org,2026-03-01; set once, never changed)',
      });
  })
  .transform((c) => ({
    ...c,
    PUBLIC_BASE_URL: (c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
    TAG_AUTHORITY: c.TAG_AUTHORITY ?? DEVELOPMENT_TAG_AUTHORITY,
  }));

export { DEVELOPMENT_TAG_AUTHORITY };

export type Config = z.output<typeof checkedSchema>;

/** A variable that is wrong and why: zod's issue code, or the rule's own reason above. */
export type ConfigProblem = { variable: string; reason: string };

export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(
    message: string,
    /** For scripts and tests; the message says the same in English. */
    readonly problems: ConfigProblem[] = [],
  ) {
    super(message);
  }
}

/** Parse the environment; the error names every variable that is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = checkedSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(
    `Invalid configuration:\n${lines.join('\n')}`,
    parsed.error.issues.map((i) => ({
      variable: i.path.join('.'),
      reason:
        i.code === 'custom' ? ((i.params as { reason?: string } | undefined)?.reason ?? 'invalid') : i.code,
    })),
  );
}
