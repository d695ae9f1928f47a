// Passwords: argon2id (OWASP's minimum: 19 MiB, 2 passes). There is no
// default password anywhere; accounts are created with one chosen by a person.
import { hash, verify } from '@node-rs/argon2';
import { validationError } from '../../errors.ts';

// algorithm 2 = Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
const OPTIONS = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 512;

/** Field message key for a password that breaks the policy, or undefined. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN) return 'password.too_short';
  if (password.length > PASSWORD_MAX) return 'password.too_long';
  return undefined;
}

export async function hashPassword(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw validationError({ password: `staff.field.${problem}` });
  return hash(password, OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Check a password against a stored hash. With no hash (unknown or disabled
 * account) a dummy hash is verified instead, so the answer takes as long.
 */
export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  if (password.length > PASSWORD_MAX) password = password.slice(0, PASSWORD_MAX);
  if (!stored || !stored.startsWith('$argon2')) {
    dummyHash ??= hash('not-a-password-of-anyone', OPTIONS);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
