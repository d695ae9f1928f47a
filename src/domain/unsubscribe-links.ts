// Unsubscribe links. A link carries the subscriber's number and a keyed MAC of it
// (HMAC-SHA256 with the unsubscribe key, src/domain/secrets.ts), so every mail can carry
// one and the database stores no token at all. Links sent before keys existed carried a
// random token: the database keeps only its SHA-256 (like sessions), and they still work.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Db } from '../store/database.ts';
import {
  type SubscriberRow,
  findByUnsubscribeHash,
  findSubscriberById,
} from '../store/repositories/subscribers.ts';
import { secretKey } from './secrets.ts';

export type LinkDeps = { db: Db; config: Partial<Pick<Config, 'UNSUBSCRIBE_KEY'>> };

const KEYED = /^u(\d{1,10})-([\w-]{43})$/;
const ANY_TOKEN = /^[\w-]{20,100}$/;

const mac = (key: Buffer, id: number) =>
  createHmac('sha256', key).update(`unsubscribe:${id}`).digest('base64url');

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

/** The token of a subscriber's unsubscribe link (the same in every mail). */
export async function unsubscribeTokenOf(deps: LinkDeps, subscriberId: number): Promise<string> {
  return `u${subscriberId}-${mac(await secretKey(deps, 'unsubscribe'), subscriberId)}`;
}

/** The subscriber an unsubscribe token stands for, or undefined (unknown, forged, malformed). */
export async function subscriberOfToken(deps: LinkDeps, token: string): Promise<SubscriberRow | undefined> {
  if (!ANY_TOKEN.test(token)) return undefined;
  const keyed = KEYED.exec(token);
  if (!keyed) return findByUnsubscribeHash(deps.db, sha256Hex(token));
  const id = Number(keyed[1]);
  const expected = Buffer.from(mac(await secretKey(deps, 'unsubscribe'), id));
  const given = Buffer.from(keyed[2]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return findSubscriberById(deps.db, id);
}
