// Message-IDs: globally unique, on the MAIL_FROM domain (RFC 5322 §3.6.4). One
// place makes them, so every message Corridor sends is named the same way.
import { randomBytes } from 'node:crypto';

/** The domain of the address in MAIL_FROM ("Corridor <digest@example.org>" → "example.org"). */
export function mailDomain(mailFrom: string): string {
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom;
  const domain = address.slice(address.lastIndexOf('@') + 1).trim();
  return domain && /^[A-Za-z0-9.-]+$/.test(domain) ? domain.toLowerCase() : 'localhost';
}

const nonce = () => randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');

/** A new, globally unique Message-ID: `<kind.random@domain>`. */
export function newMessageId(kind: string, mailFrom: string): string {
  return `<${kind}.${nonce()}@${mailDomain(mailFrom)}>`;
}

/**
 * For many messages of one batch (a digest run's deliveries, made in one SQL
 * statement): `prefix + <a number unique within the batch> + suffix`.
 */
export function messageIdTemplate(kind: string, mailFrom: string): { prefix: string; suffix: string } {
  return { prefix: `<${kind}.${nonce()}.`, suffix: `@${mailDomain(mailFrom)}>` };
}
