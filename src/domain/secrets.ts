// The HMAC keys: from the configuration when it gives them (RATE_LIMIT_KEY,
// UNSUBSCRIBE_KEY), otherwise generated into the database once, so every process
// computes the same keyed hashes. Read once per process and database.
import { createHmac, randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Db } from '../store/database.ts';
import { storedSecret } from '../store/repositories/secrets.ts';

export type SecretName = 'rate_limit' | 'unsubscribe';
export type KeyConfig = Partial<Pick<Config, 'RATE_LIMIT_KEY' | 'UNSUBSCRIBE_KEY'>>;

const CONFIGURED: Record<SecretName, keyof KeyConfig> = {
  rate_limit: 'RATE_LIMIT_KEY',
  unsubscribe: 'UNSUBSCRIBE_KEY',
};

// Per database handle (tests open many): name → key.
const cache = new WeakMap<object, Map<SecretName, Promise<Buffer>>>();

export function secretKey(deps: { db: Db; config: KeyConfig }, name: SecretName): Promise<Buffer> {
  const configured = deps.config[CONFIGURED[name]];
  if (configured) return Promise.resolve(Buffer.from(configured, 'utf8'));
  let keys = cache.get(deps.db);
  if (!keys) cache.set(deps.db, (keys = new Map<SecretName, Promise<Buffer>>()));
  let key = keys.get(name);
  if (!key) {
    key = storedSecret(deps.db, name, randomBytes(32).toString('base64url')).then((v) =>
      Buffer.from(v, 'utf8'),
    );
    key.catch(() => keys.delete(name));
    keys.set(name, key);
  }
  return key;
}

/** A keyed hash (HMAC-SHA256, hex) of a value: equal values match, the value cannot be read back. */
export const keyedHash = (key: Buffer, value: string) =>
  createHmac('sha256', key).update(value).digest('hex');
