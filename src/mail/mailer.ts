// Mail transports: SMTP (pooled) when SMTP_URL is set, otherwise .eml files in an
// outbox folder so a new installation can see exactly what would be sent.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SendMailOptions, TransportOptions } from 'nodemailer';
import type { Config } from '../config.ts';
import { systemClock } from '../clock.ts';

export type OutgoingMail = {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Becomes the Message-ID; a stable one lets clients fold a (never intended) repeat. */
  messageId: string;
  language: string;
  headers: Record<string, string>;
};

export type SentMail = { messageId: string; response: string };

/**
 * A rejected send. `permanent`: the server refused the recipient or message (5xx);
 * `connection`: no SMTP answer at all (server down, timeout) — later sends would fail too;
 * `maybeDelivered`: the conversation broke without a reply after the connection was up,
 * so the server may have taken the message (it must not be resent automatically).
 */
export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly connection = false,
    readonly maybeDelivered = false,
  ) {
    super(message);
    this.name = 'MailError';
  }
}

export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  /** Resolves once the server (or the outbox folder) has accepted the message. */
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): Promise<void>;
}

/** DKIM signing (DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY); see dkimFrom. */
export type Dkim = { domainName: string; keySelector: string; privateKey: string };

/** What is signed: nodemailer's default list, and the headers one-click and readers rely on. */
const SIGNED_HEADERS =
  'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:' +
  'Content-Transfer-Encoding:Content-Language:In-Reply-To:References:List-Id:List-Help:' +
  'List-Unsubscribe:List-Unsubscribe-Post:List-Subscribe:List-Post:List-Owner:List-Archive:Auto-Submitted';

export function dkimFrom(
  config: Pick<Config, 'DKIM_DOMAIN' | 'DKIM_SELECTOR' | 'DKIM_PRIVATE_KEY'>,
): Dkim | undefined {
  if (!config.DKIM_DOMAIN || !config.DKIM_SELECTOR || !config.DKIM_PRIVATE_KEY) return undefined;
  return {
    domainName: config.DKIM_DOMAIN,
    keySelector: config.DKIM_SELECTOR,
    privateKey: config.DKIM_PRIVATE_KEY,
  };
}

const ONE_CLICK = 'List-Unsubscribe-Post';

/**
 * RFC 8058 one-click unsubscribe works only with an https List-Unsubscribe URI in a
 * message whose DKIM signature covers both headers; anywhere else the header would
 * advertise what a mail provider will not honour, so it is dropped.
 */
export function oneClickHeaders(headers: Record<string, string>, signed: boolean): Record<string, string> {
  if (!(ONE_CLICK in headers)) return headers;
  const https = /<https:\/\/[^>]+>/.test(headers['List-Unsubscribe'] ?? '');
  if (signed && https) return headers;
  return withoutOneClick({ headers }).headers;
}

/** The message without one-click unsubscribe (a test message: no subscription behind it). */
export function withoutOneClick<T extends { headers: Record<string, string> }>(mail: T): T {
  const headers = { ...mail.headers };
  delete headers[ONE_CLICK];
  return { ...mail, headers };
}

function toNodemailer(mail: OutgoingMail, signed: boolean): SendMailOptions {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: { 'Content-Language': mail.language, ...oneClickHeaders(mail.headers, signed) },
    textEncoding: 'quoted-printable',
  };
}

const dkimOption = (dkim: Dkim | undefined) =>
  dkim ? { dkim: { ...dkim, headerFieldNames: SIGNED_HEADERS } } : {};

/** Failures that happen before a message can have reached the server. */
const NEVER_CONNECTED =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|Greeting never received|Invalid greeting|EAUTH|EDNS|ETLS/i;

/** The reason a send failed, short enough for a delivery row and free of message content. */
export function mailError(err: unknown): MailError {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const replied = typeof e.responseCode === 'number';
  const permanent = replied && e.responseCode! >= 500 && e.responseCode! < 600;
  const reason = [e.code, e.responseCode, e.message].filter(Boolean).join(' ').slice(0, 500);
  const maybeDelivered = !replied && !NEVER_CONNECTED.test(`${e.code ?? ''} ${e.message ?? ''}`);
  return new MailError(reason || 'send failed', permanent, !replied, maybeDelivered);
}

type Transport = { sendMail(mail: SendMailOptions): Promise<unknown>; close(): void };

/**
 * nodemailer's transport, made at the first message: its ~40 modules are loaded then,
 * not at start, so a process that has sent nothing yet (a server between digests)
 * does not hold them (docs/operations.md, "Memory").
 */
function lazyTransport(options: object) {
  let made: Promise<Transport> | undefined;
  return {
    get: (): Promise<Transport> =>
      (made ??= import('nodemailer').then((m) => m.default.createTransport(options as TransportOptions))),
    close: () =>
      void made?.then(
        (t) => t.close(),
        // A transport that failed to load has nothing to close; its send already failed.
        () => {},
      ),
  };
}

export function createSmtpMailer(options: {
  url: string;
  poolSize: number;
  timeoutMs?: number;
  dkim?: Dkim;
}): Mailer {
  const timeout = options.timeoutMs ?? 30_000;
  const transport = lazyTransport({
    url: options.url,
    pool: true,
    maxConnections: options.poolSize,
    maxMessages: 500,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...dkimOption(options.dkim),
  });
  return {
    kind: 'smtp',
    async send(mail) {
      try {
        const info = (await (await transport.get()).sendMail(toNodemailer(mail, Boolean(options.dkim)))) as {
          messageId: string;
          response: string;
        };
        return { messageId: info.messageId, response: String(info.response ?? '') };
      } catch (err) {
        throw mailError(err);
      }
    },
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
}

export function createOutboxMailer(dir: string, dkim?: Dkim): Mailer {
  const transport = lazyTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
    ...dkimOption(dkim),
  });
  return {
    kind: 'outbox',
    async send(mail) {
      const info = (await (await transport.get()).sendMail(toNodemailer(mail, Boolean(dkim)))) as {
        messageId: string;
        message: Buffer;
      };
      const safeId = mail.messageId.replace(/[^\w.-]+/g, '_').slice(0, 120);
      const file = path.join(dir, `${systemClock.now().toISOString().replace(/[:.]/g, '-')}-${safeId}.eml`);
      // Written whole, then renamed: a crash never leaves half a message in the outbox,
      // and a failed write (a full disk) removes its partial file. The message is in
      // the outbox only once renamed, so a failure here was never delivered.
      const tmp = `${file}.${randomUUID()}.tmp`;
      try {
        await fs.promises.mkdir(dir, { recursive: true });
        await fs.promises.writeFile(tmp, info.message);
        await fs.promises.rename(tmp, file);
      } catch (err) {
        // Best effort: the write's own error (rethrown below) is the one to report.
        await fs.promises.rm(tmp, { force: true }).catch(() => {});
        const e = err as NodeJS.ErrnoException;
        throw new MailError(`outbox ${e.code ?? ''} ${e.message}`.slice(0, 500), false, true, false);
      }
      return { messageId: info.messageId, response: `written ${file}` };
    },
    async close() {},
  };
}

export function createMailer(
  config: Pick<
    Config,
    'SMTP_URL' | 'SMTP_POOL_SIZE' | 'OUTBOX_DIR' | 'DKIM_DOMAIN' | 'DKIM_SELECTOR' | 'DKIM_PRIVATE_KEY'
  >,
): Mailer {
  const dkim = dkimFrom(config);
  return config.SMTP_URL
    ? createSmtpMailer({ url: config.SMTP_URL, poolSize: config.SMTP_POOL_SIZE, dkim })
    : createOutboxMailer(config.OUTBOX_DIR, dkim);
}
