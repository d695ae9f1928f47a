// Adding a fourth language is one registry line plus its catalogue files.
// This test adds a throwaway one, Arabic (six plural categories, right to left),
// exactly so: the registry gets one more entry and the catalogues one more
// language (a pseudo-translation of the English, every plural expanded to
// Arabic's categories). Nothing else changes, and the whole app speaks it.
import { beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('../../src/i18n/languages.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/i18n/languages.ts')>();
  const registry = [
    ...real.LANGUAGE_REGISTRY,
    { code: 'ar', locale: 'ar-EG', nativeName: 'العربية', dir: 'rtl' } as const,
  ];
  return { ...real, ...real.defineLanguages(registry), LANGUAGE_REGISTRY: registry };
});

vi.mock('../../src/i18n/catalogues/index.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/i18n/catalogues/index.ts')>();
  const { parseMessage, printMessage } = await import('../../src/i18n/message-format.ts');
  const categories = new Intl.PluralRules('ar').resolvedOptions().pluralCategories;
  type Parts = ReturnType<typeof parseMessage>;
  // Every text marked, every plural given each Arabic category (from its "other").
  const pseudo = (parts: Parts): Parts =>
    parts.map((p) => {
      if (typeof p === 'string') return p;
      if (p.type === 'arg' || p.type === 'pound') return p;
      const options = Object.fromEntries(Object.entries(p.options).map(([k, v]) => [k, pseudo(v)]));
      if (p.type === 'plural') for (const c of categories) options[c] ??= options.other!;
      return { ...p, options };
    });
  const ar = Object.fromEntries(
    Object.entries(real.catalogues.en).map(([area, messages]) => [
      area,
      Object.fromEntries(
        Object.entries(messages).map(([key, source]) => [
          key,
          `‹ar› ${printMessage(pseudo(parseMessage(source)))}`,
        ]),
      ),
    ]),
  );
  return { catalogues: { ...real.catalogues, ar } };
});

const { LANGUAGE_REGISTRY, LANGUAGES, isLang, negotiateLang, t } = await import('../../src/i18n/index.ts');
const { catalogues } = await import('../../src/i18n/catalogues/index.ts');
const { checkCatalogues } = await import('../../src/i18n/check.ts');
const { subscribers } = await import('../../db/schema.ts');
const { createTestDatabase } = await import('../support/db.ts');
const { startTestServer } = await import('../support/app.ts');
const { counts, makeMovement, makeOperation, makeRoute } = await import('../support/factories.ts');

type Lang = Parameters<typeof t>[0];
const AR = 'ar' as Lang;
let base: string;

beforeAll(async () => {
  const database = await createTestDatabase();
  const op = await makeOperation(database.db);
  const { route } = await makeRoute(database.db, op.id);
  await makeMovement(database.db, route.id, { status: 'departed' }, counts({ departed: { total: 40 } }));
  base = (await startTestServer(database)).url;
});

describe('a fourth language from one registry line and its catalogues', () => {
  it('is a language everywhere the registry is read', () => {
    expect(LANGUAGES).toEqual(['kk', 'ru', 'en', 'ar']);
    expect(isLang('ar')).toBe(true);
    expect(negotiateLang('ar-EG,ar;q=0.9')).toBe('ar');
    expect(subscribers.language.enumValues).toContain('ar');
  });

  it('passes the catalogue check, which would name anything missing', () => {
    expect(checkCatalogues({ languages: LANGUAGE_REGISTRY, source: 'en', catalogues })).toEqual([]);
    const ar = (catalogues as Record<string, Record<string, Record<string, string>>>).ar!;
    const { 'site.title': _gone, ...rest } = ar.public!;
    const broken = {
      ...catalogues,
      ar: { ...ar, public: { ...rest, 'people.count': '{count, plural, other {#}}' } },
    };
    const found = checkCatalogues({ languages: LANGUAGE_REGISTRY, source: 'en', catalogues: broken });
    expect(found.map((p) => `${p.kind} ${p.lang} ${p.key}`)).toEqual([
      'missing ar site.title',
      'plural_categories ar people.count',
    ]);
  });

  it('formats with its own plural rules and digits', () => {
    expect(t(AR, 'people.count', { count: 2 })).toBe('‹ar› ٢ people');
    expect(t(AR, 'site.title')).toBe('‹ar› Corridor — evacuation status');
  });

  it('serves the public page in it, right to left, with every switcher and form offering it', async () => {
    const res = await fetch(`${base}/?lang=ar`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('‹ar› Summary');
    expect(html).toMatch(/hreflang="ar" lang="ar"[^>]*>العربية</);
    const options = [...html.matchAll(/<option value="(\w+)" lang="\1"/g)].map((m) => m[1]);
    expect(options).toEqual(['ar', 'kk', 'ru', 'en']);
    const negotiated = await fetch(`${base}/`, { headers: { 'accept-language': 'ar' } });
    expect(await negotiated.text()).toContain('<html lang="ar" dir="rtl">');
  });

  it('serves the feed in it', async () => {
    const res = await fetch(`${base}/feed.atom?lang=ar`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('‹ar›');
  });
});
