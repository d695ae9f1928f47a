// An operation's working language is a real setting: admins choose it on the operation's
// form; switching re-keys every movement by its label in the new language (refused while
// one has none, or two on a route would share one), and the public fallback follows it
// (a reader whose language is missing sees the working language's text, marked).
// PGlite by default; PostgreSQL with TEST_DATABASE_URL.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { movements, operations } from '../../db/schema.ts';
import { seedReportedFigures } from '../../src/domain/seed.ts';
import { sources } from '../../db/schema.ts';
import { createNotice } from '../../src/domain/staff/notices.ts';
import { resolveSourceChoice } from '../../src/domain/staff/source-choice.ts';
import { type OperationInput, editOperation } from '../../src/domain/staff/operations.ts';
import { listPublicOperations } from '../../src/store/repositories/catalog.ts';
import type { Database } from '../../src/store/database.ts';
import { notifyChange } from '../../src/store/notify.ts';
import { type TestServer, startTestServer } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { makeUser } from '../support/factories.ts';
import { waitForValue } from '../support/wait.ts';

let database: Database;
let server: TestServer;
let actor: { id: number; label: string };
let operationId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedReportedFigures({ db: database.db });
  server = await startTestServer(database);
  const user = await makeUser(database.db, { role: 'admin' });
  actor = { id: user.id, label: user.name };
  operationId = (await listPublicOperations(database.db))[0]!.id;
});

async function setLanguage(workingLanguage: OperationInput['workingLanguage']) {
  const [op] = await database.db.select().from(operations).where(eq(operations.id, operationId));
  return editOperation(
    { db: database.db, now: new Date('2026-03-05T10:00:00Z') },
    {
      operationId,
      expectedVersion: op!.version,
      actor,
      fields: {
        slug: op!.slug,
        names: op!.names,
        timeZone: op!.timeZone,
        isPublic: op!.isPublic,
        status: op!.status,
        staleAfterHours: op!.staleAfterHours,
        smallCountThreshold: op!.smallCountThreshold,
        publicationDelayMinutes: op!.publicationDelayMinutes,
        digestTime: op!.digestTime,
        workingLanguage,
      },
    },
  );
}

const keys = async () =>
  (await database.db.select().from(movements).orderBy(movements.id)).map((m) => ({
    label: m.label,
    labels: m.labels,
  }));

describe('the working language', () => {
  it('switches when every movement is labelled in it, re-keying them by that label', async () => {
    expect((await keys()).every((m) => m.label === m.labels.en)).toBe(true);
    expect(await setLanguage('ru')).toMatchObject({ changed: true });
    const after = await keys();
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((m) => m.label === m.labels.ru)).toBe(true);
    // Absent from a form (an older client): unchanged.
    expect(await setLanguage(undefined)).toMatchObject({ changed: false });
  });

  it('is refused while a movement has no label in it; nothing changes', async () => {
    const [first] = await database.db.select().from(movements).orderBy(movements.id).limit(1);
    const { kk: _kk, ...rest } = first!.labels;
    await database.db.update(movements).set({ labels: rest }).where(eq(movements.id, first!.id));
    await expect(setLanguage('kk')).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { workingLanguage: 'field.working_language_untranslated' },
    });
    const [op] = await database.db.select().from(operations).where(eq(operations.id, operationId));
    expect(op!.workingLanguage).toBe('ru');
    expect((await keys()).every((m) => m.label === m.labels.ru)).toBe(true);
  });

  it('is what a reader without their language sees, marked (kk page: the label in Russian)', async () => {
    const [first] = await database.db.select().from(movements).orderBy(movements.id).limit(1);
    // Only Russian and English now: the Kazakh page falls back to the working language, Russian.
    await database.db
      .update(movements)
      .set({ labels: { ru: first!.labels.ru!, en: first!.labels.en! } })
      .where(eq(movements.id, first!.id));
    await notifyChange(database.db, { operationId, kind: 'test' });
    const html = await waitForValue(
      'the kk page to show the label in Russian',
      async () => (await fetch(`${server.url}/kk/routes/${await routeSlug(first!.routeId)}`)).text(),
      (text) => text.includes(`<span lang="ru">${first!.labels.ru}</span>`),
    );
    expect(html).toContain(`<span lang="ru">${first!.labels.ru}</span>`);
    expect(html).not.toContain(`<span lang="en">${first!.labels.en}</span>`);
  });

  it('is the language a notice must have (Russian now); the others are translations', async () => {
    const deps = { db: database.db, now: new Date('2026-03-05T10:00:00Z') };
    const base = { pinned: true, sourceId: null, expiresAt: null };
    await expect(
      createNotice(deps, { operationId, actor, fields: { ...base, bodies: { en: 'Hotline' } } }),
    ).rejects.toMatchObject({ code: 'validation_failed', fields: { body_ru: 'field.required' } });
    await expect(
      createNotice(deps, { operationId, actor, fields: { ...base, bodies: { ru: 'Горячая линия' } } }),
    ).resolves.toMatchObject({ id: expect.any(Number) as unknown });
  });

  it('is the language a new source is recorded in (so readers of the others see it marked)', async () => {
    const errors = {};
    const id = await resolveSourceChoice(
      database.db,
      {
        choice: { kind: 'new', source: { outlet: 'МИД РК', title: 'Брифинг', url: null } },
        operationId,
        actor,
        now: new Date('2026-03-05T10:00:00Z'),
      },
      errors,
    );
    expect(errors).toEqual({});
    const [row] = await database.db.select().from(sources).where(eq(sources.id, id!));
    expect(row).toMatchObject({ language: 'ru', outlets: { ru: 'МИД РК' }, titles: { ru: 'Брифинг' } });
  });
});

async function routeSlug(routeId: number) {
  const { routes } = await import('../../db/schema.ts');
  const [r] = await database.db.select({ slug: routes.slug }).from(routes).where(eq(routes.id, routeId));
  return r!.slug;
}
