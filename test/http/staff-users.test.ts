// Admin pages for accounts: create, change role, disable/enable, each with its
// audit event in the same transaction; refused input is a 422 that writes nothing.
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, users } from '../../db/schema.ts';
import type { Database } from '../../src/store/database.ts';
import { findUserByEmail } from '../../src/store/repositories/users.ts';
import { startTestServer, type TestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { type StaffClient, signIn, staffClient } from '../support/staff.ts';

let database: Database;
let server: TestServer;
let admin: StaffClient & { user: { id: number; email: string } };

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  admin = await signIn(server, 'admin');
});

const auditOf = (userId: number) =>
  database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entity, 'user'), eq(auditEvents.entityId, userId)))
    .orderBy(auditEvents.id);

describe('users admin', () => {
  it('creates a user who can then sign in; the password is stored as argon2id', async () => {
    await admin.get('/staff/users/new');
    const res = await admin.post('/staff/users', {
      email: 'New.Officer@Staff.test',
      name: 'Aigerim N.',
      role: 'officer',
      password: 'field office passphrase',
    });
    expect(res.status).toBe(303);
    const created = (await findUserByEmail(database.db, 'new.officer@staff.test'))!;
    expect(res.headers.get('location')).toBe(`/staff/users/${created.id}?done=created`);
    expect(created.passwordHash).toMatch(/^\$argon2id\$/);
    expect(created.passwordHash).not.toContain('field office passphrase');
    const [event] = await auditOf(created.id);
    expect(event).toMatchObject({
      action: 'user.create',
      actorId: admin.user.id,
      actorLabel: admin.user.email,
    });
    expect(JSON.stringify(event)).not.toContain('argon2');
    const list = await (await admin.get('/staff/users')).text();
    expect(list).toContain('Aigerim N.');
    const officer = staffClient(server);
    await officer.get('/staff/sign-in');
    const signedIn = await officer.post('/staff/sign-in', {
      email: 'new.officer@staff.test',
      password: 'field office passphrase',
    });
    expect(signedIn.status).toBe(303);
  });

  it('refuses bad input with 422 and messages next to the fields, writing nothing', async () => {
    const count = async () => ({
      users: (await database.db.select().from(users)).length,
      audit: (await database.db.select().from(auditEvents)).length,
    });
    const before = await count();
    const cases = [
      { email: 'not-an-email', name: 'A', role: 'officer', password: 'long enough password' },
      { email: 'ok@staff.test', name: '', role: 'officer', password: 'long enough password' },
      { email: 'ok@staff.test', name: 'A', role: 'superuser', password: 'long enough password' },
      { email: 'ok@staff.test', name: 'A', role: 'officer', password: 'short' },
      { email: admin.user.email, name: 'A', role: 'officer', password: 'long enough password' },
    ];
    const messages = [
      'Enter a valid email address.',
      'Enter a name.',
      'Choose a role.',
      'The password must have at least 12 characters.',
      'An account with this email already exists.',
    ];
    for (const [i, form] of cases.entries()) {
      const res = await admin.post('/staff/users', form);
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain(messages[i]);
      expect(html).toContain('aria-invalid="true"');
    }
    expect(await count()).toEqual(before);
  });

  it('changes a role and disables/enables an account, each audited', async () => {
    const target = await signIn(server, 'viewer');
    const id = target.user.id;
    expect((await admin.post(`/staff/users/${id}/role`, { role: 'officer' })).status).toBe(303);
    expect((await findUserByEmail(database.db, target.user.email))!.role).toBe('officer');
    expect((await admin.post(`/staff/users/${id}/disable`)).status).toBe(303);
    expect((await findUserByEmail(database.db, target.user.email))!.disabledAt).not.toBeNull();
    expect((await target.get('/staff/account')).status).toBe(303); // its session ended
    expect((await admin.post(`/staff/users/${id}/enable`)).status).toBe(303);
    expect((await findUserByEmail(database.db, target.user.email))!.disabledAt).toBeNull();
    const actions = (await auditOf(id)).map((e) => e.action);
    expect(actions).toEqual(['user.role', 'user.disable', 'user.enable']);
    const page = await (await admin.get(`/staff/users/${id}`)).text();
    expect(page).toContain('Viewer → Officer');
  });

  it('never leaves the system without an active admin, and an admin cannot disable themself', async () => {
    const others = await database.db.select().from(users).where(eq(users.role, 'admin'));
    for (const other of others.filter((u) => u.id !== admin.user.id))
      await database.db.update(users).set({ role: 'viewer' }).where(eq(users.id, other.id));
    const demote = await admin.post(
      `/staff/users/${admin.user.id}/role`,
      { role: 'officer' },
      { headers: { accept: 'application/json' } },
    );
    expect(demote.status).toBe(422);
    expect(((await demote.json()) as { error: { fields: Record<string, string> } }).error.fields.role).toBe(
      'staff.field.user.last_admin',
    );
    const self = await admin.post(`/staff/users/${admin.user.id}/disable`);
    expect(self.status).toBe(422);
    const me = (await findUserByEmail(database.db, admin.user.email))!;
    expect(me.role).toBe('admin');
    expect(me.disabledAt).toBeNull();
  });

  it('answers an unknown or malformed user id with 404', async () => {
    expect((await admin.get('/staff/users/999999')).status).toBe(404);
    expect((await admin.get('/staff/users/abc')).status).toBe(404);
    expect((await admin.post('/staff/users/999999/disable')).status).toBe(404);
  });
});
