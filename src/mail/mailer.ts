// Mail transports: SMTP (pooled) when SMTP_URL is set, otherwise .eml files in an
// outbox folder so a new installation can see exactly what would be sent.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import nodemailer, { type SendMailOptions, type TransportOptions } from 'nodemailer';
import type { Config } from '../config.ts';

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
 * `connection`: no SMTP answer at all (server down, timeout) — later sends would fail too.
 */
export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly connection = false,
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

function toNodemailer(mail: OutgoingMail): SendMailOptions {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: { 'Content-Language': mail.language, ...mail.headers },
    textEncoding: 'quoted-printable',
  };
}

/** The reason a send failed, short enough for a delivery row and free of message content. */
export function mailError(err: unknown): MailError {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
  const reason = [e.code, e.responseCode, e.message].filter(Boolean).join(' ').slice(0, 500);
  return new MailError(reason || 'send failed', permanent, typeof e.responseCode !== 'number');
}

export function createSmtpMailer(options: { url: string; poolSize: number; timeoutMs?: number }): Mailer {
  const timeout = options.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: options.poolSize,
    maxMessages: 500,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  } as TransportOptions);
  return {
    kind: 'smtp',
    async send(mail) {
      try {
        const info = (await transport.sendMail(toNodemailer(mail))) as {
          messageId: string;
          response: string;
        };
        return { messageId: info.messageId, response: String(info.response ?? '') };
      } catch (err) {
        throw mailError(err);
      }
    },
    async close() {
      transport.close();
    },
  };
}

export function createOutboxMailer(dir: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'outbox',
    async send(mail) {
      const info = (await transport.sendMail(toNodemailer(mail))) as { messageId: string; message: Buffer };
      await fs.promises.mkdir(dir, { recursive: true });
      const safeId = mail.messageId.replace(/[^\w.-]+/g, '_').slice(0, 120);
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${safeId}.eml`);
      // Written whole, then renamed: a crash never leaves half a message in the outbox.
      const tmp = `${file}.${randomUUID()}.tmp`;
      await fs.promises.writeFile(tmp, info.message);
      await fs.promises.rename(tmp, file);
      return { messageId: info.messageId, response: `written ${file}` };
    },
    async close() {},
  };
}

export function createMailer(config: Pick<Config, 'SMTP_URL' | 'SMTP_POOL_SIZE' | 'OUTBOX_DIR'>): Mailer {
  return config.SMTP_URL
    ? createSmtpMailer({ url: config.SMTP_URL, poolSize: config.SMTP_POOL_SIZE })
    : createOutboxMailer(config.OUTBOX_DIR);
}
