// Mail that providers trust: every message DKIM-signed when DKIM_* is set — checked by
// verifying the signature of the message a real SMTP server received (mailauth's DKIM
// verifier, with the selector's TXT record from a resolver stub); Message-IDs unique on
// the MAIL_FROM domain; one-click unsubscribe only where it works (https, signed, a
// real subscription — never on a test message).
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { digestMail } from '../../src/domain/digest/outgoing.ts';
import { createMailer, createOutboxMailer, dkimFrom, withoutOneClick } from '../../src/mail/mailer.ts';
import { newMessageId } from '../../src/mail/message-id.ts';
import { startSmtp, type TestSmtp } from '../support/digest.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const DNS_KEY = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const MAIL_FROM = 'Corridor <digest@mail.corridor.test>';

/** The DNS a receiver would ask: the selector's TXT record, nothing else. */
const resolver = (name: string, type: string) =>
  type === 'TXT' && name === 'sel2026._domainkey.corridor.test'
    ? Promise.resolve([[`v=DKIM1; k=rsa; p=${DNS_KEY}`]])
    : Promise.reject(Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' }));

const verify = async (raw: Buffer) => (await dkimVerify(raw, { resolver })).results;

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(() => smtp.close());

const config = (extra: Record<string, string> = {}) =>
  loadConfig({
    NODE_ENV: 'test',
    SMTP_URL: smtp.url,
    MAIL_FROM,
    DKIM_DOMAIN: 'corridor.test',
    DKIM_SELECTOR: 'sel2026',
    // As an environment file holds it: one line, "\n" for the line breaks.
    DKIM_PRIVATE_KEY: PEM.replace(/\n/g, '\\n'),
    ...extra,
  });

const digest = (base: string, unsubscribeUrl: string) =>
  digestMail(
    { MAIL_FROM, PUBLIC_BASE_URL: base },
    { subject: 'Middle East 2026: daily summary', html: '<p>Arrived: 306</p>', text: 'Arrived: 306' },
    {
      to: 'family@example.org',
      lang: 'ru',
      slug: 'middle-east-2026',
      messageId: newMessageId('digest-test', MAIL_FROM),
      unsubscribeUrl,
    },
  );

const header = (raw: Buffer, name: string) =>
  new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im')
    .exec(raw.toString('utf8'))?.[1]
    ?.replace(/\r?\n[ \t]+/g, ' ');

describe('DKIM', () => {
  it('signs what the SMTP server receives, one-click headers included, and the signature verifies', async () => {
    const mailer = createMailer(config());
    const url = 'https://corridor.example/subscribe/unsubscribe/abc123';
    await mailer.send(digest('https://corridor.example', url));
    await mailer.close();
    const raw = smtp.received.at(-1)!.raw;
    const [result] = await verify(raw);
    expect(result!.status.result, result!.status.comment).toBe('pass');
    expect(result!.signingDomain).toBe('corridor.test');
    expect(result!.selector).toBe('sel2026');
    const signed = (header(raw, 'DKIM-Signature') ?? '').replace(/\s/g, '').toLowerCase();
    for (const h of ['from', 'subject', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post'])
      expect(signed).toMatch(new RegExp(`h=[^;]*\\b${h}\\b`));
    expect(header(raw, 'List-Unsubscribe')).toBe(`<${url}>`);
    expect(header(raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    // Altered on the way: the signature no longer holds.
    const tampered = Buffer.from(raw.toString('utf8').replace('Arrived: 306', 'Arrived: 999'));
    expect((await verify(tampered))[0]!.status.result).not.toBe('pass');
  });

  it('signs the .eml files of the outbox too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corridor-dkim-outbox-'));
    try {
      const mailer = createOutboxMailer(dir, dkimFrom(config()));
      await mailer.send(
        digest('https://corridor.example', 'https://corridor.example/subscribe/unsubscribe/x'),
      );
      const [file] = fs.readdirSync(dir).filter((f) => f.endsWith('.eml'));
      const raw = fs.readFileSync(path.join(dir, file!));
      expect((await verify(raw))[0]!.status.result).toBe('pass');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is configured all or nothing, on MAIL_FROM’s domain', () => {
    expect(() => config({ DKIM_SELECTOR: '' })).toThrow(/DKIM_SELECTOR/);
    expect(() => config({ DKIM_DOMAIN: 'elsewhere.example' })).toThrow(/DKIM_DOMAIN/);
    expect(() => config({ DKIM_PRIVATE_KEY: 'not a key' })).toThrow(/DKIM_PRIVATE_KEY/);
  });
});

describe('one-click unsubscribe and Message-IDs', () => {
  it('advertises one-click only with an https link in a signed message, and never on a test message', async () => {
    const sendAndRead = async (cfg: ReturnType<typeof config>, mail: ReturnType<typeof digest>) => {
      const mailer = createMailer(cfg);
      await mailer.send(mail);
      await mailer.close();
      return smtp.received.at(-1)!.raw;
    };
    const https = 'https://corridor.example/subscribe/unsubscribe/t1';
    const signed = config();
    const unsigned = config({ DKIM_DOMAIN: '', DKIM_SELECTOR: '', DKIM_PRIVATE_KEY: '' });
    expect(
      header(await sendAndRead(signed, digest('https://corridor.example', https)), 'List-Unsubscribe-Post'),
    ).toBe('List-Unsubscribe=One-Click');
    const overHttp = await sendAndRead(
      signed,
      digest('http://corridor.test', 'http://corridor.test/subscribe/unsubscribe/t1'),
    );
    expect(header(overHttp, 'List-Unsubscribe-Post')).toBeUndefined();
    expect(header(overHttp, 'List-Unsubscribe')).toBe('<http://corridor.test/subscribe/unsubscribe/t1>');
    expect(
      header(await sendAndRead(unsigned, digest('https://corridor.example', https)), 'List-Unsubscribe-Post'),
    ).toBeUndefined();
    // `npm run digest -- --to …`: a test message.
    expect(
      header(
        await sendAndRead(signed, withoutOneClick(digest('https://corridor.example', https))),
        'List-Unsubscribe-Post',
      ),
    ).toBeUndefined();
  });

  it('makes each Message-ID new, on the MAIL_FROM domain', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newMessageId('confirm', MAIL_FROM)));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^<confirm\.[\w]+@mail\.corridor\.test>$/);
  });
});
