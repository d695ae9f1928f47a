import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/domain/auth/passwords.ts';
import { hasRole } from '../../src/domain/auth/roles.ts';
import { safeNext } from '../../src/routes/staff/auth.ts';
import { configProblem } from '../support/config.ts';

describe('session and sign-in configuration', () => {
  it('has defaults and validates each variable by name', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      SESSION_IDLE_MINUTES: 60,
      SESSION_ABSOLUTE_HOURS: 12,
      SIGNIN_MAX_PER_ACCOUNT: 5,
      SIGNIN_MAX_PER_ADDRESS: 30,
      SIGNIN_WINDOW_MINUTES: 15,
    });
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '0' })).toThrow(/SESSION_IDLE_MINUTES/);
    expect(() => loadConfig({ SESSION_ABSOLUTE_HOURS: 'soon' })).toThrow(/SESSION_ABSOLUTE_HOURS/);
    expect(() => loadConfig({ SIGNIN_MAX_PER_ACCOUNT: '-1' })).toThrow(/SIGNIN_MAX_PER_ACCOUNT/);
  });
  it('refuses an idle time longer than the absolute lifetime', () => {
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '180', SESSION_ABSOLUTE_HOURS: '2' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '180', SESSION_ABSOLUTE_HOURS: '2' })).toThrow(
      configProblem({ variable: 'SESSION_IDLE_MINUTES', reason: 'exceeds_absolute' }),
    );
    expect(
      loadConfig({ SESSION_IDLE_MINUTES: '120', SESSION_ABSOLUTE_HOURS: '2' }).SESSION_IDLE_MINUTES,
    ).toBe(120);
  });
});

describe('passwords', () => {
  it('are hashed with argon2id at 19 MiB and 2 passes, salted', async () => {
    const a = await hashPassword('a long test passphrase');
    const b = await hashPassword('a long test passphrase');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'a long test passphrase')).toBe(true);
    expect(await verifyPassword(a, 'a long test passphrasE')).toBe(false);
  });
  it('must have 12 to 512 characters', async () => {
    expect(passwordProblem('eleven char')).toBe('password.too_short');
    expect(passwordProblem('twelve chars')).toBeUndefined();
    expect(passwordProblem('x'.repeat(513))).toBe('password.too_long');
    await expect(hashPassword('short')).rejects.toMatchObject({ code: 'validation_failed' });
  });
  it('are checked against a dummy hash when there is no account, taking comparable time', async () => {
    const stored = await hashPassword('a long test passphrase');
    await verifyPassword(undefined, 'warm up the dummy hash');
    const time = async (f: () => Promise<unknown>) => {
      const started = performance.now();
      for (let i = 0; i < 3; i++) await f();
      return performance.now() - started;
    };
    const known = await time(() => verifyPassword(stored, 'wrong guess here'));
    const unknown = await time(() => verifyPassword(undefined, 'wrong guess here'));
    expect(await verifyPassword(undefined, 'wrong guess here')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'wrong guess here')).toBe(false);
    // Same algorithm and cost: far from the microseconds a skipped check would take.
    expect(unknown).toBeGreaterThan(known * 0.3);
  });
});

describe('roles and redirects', () => {
  it('ranks viewer < officer < admin', () => {
    expect(hasRole({ role: 'admin' }, 'officer')).toBe(true);
    expect(hasRole({ role: 'officer' }, 'officer')).toBe(true);
    expect(hasRole({ role: 'viewer' }, 'officer')).toBe(false);
    expect(hasRole(undefined, 'viewer')).toBe(false);
  });
  it('redirects after sign-in only inside /staff', () => {
    expect(safeNext('/staff/movements/3?x=1')).toBe('/staff/movements/3?x=1');
    expect(safeNext('/staff')).toBe('/staff');
    for (const bad of [
      'https://evil.example',
      '//evil.example',
      '/staffevil',
      '/staff\\..\\x',
      '/',
      undefined,
    ])
      expect(safeNext(bad)).toBe('/staff');
    expect(safeNext('/staff/sign-out')).toBe('/staff');
  });
});
