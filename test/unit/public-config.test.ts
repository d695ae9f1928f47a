// PUBLIC_BASE_URL and TAG_AUTHORITY: a default that works where the server runs, and in
// production no silent default: required, https unless allowed, ids under a chosen authority.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { resolvePublicUrl } from '../../src/public/urls.ts';
import { configProblem } from '../support/config.ts';
import { ACCEPT_LANGUAGE_TABLE } from '../support/accept-language.ts';

const PROD = { NODE_ENV: 'production', TAG_AUTHORITY: 'mfa.example.org,2026-03-01' };

describe('PUBLIC_BASE_URL', () => {
  it('defaults to http://localhost:$PORT outside production', () => {
    expect(loadConfig({ PORT: '51573' }).PUBLIC_BASE_URL).toBe('http://localhost:51573');
    expect(loadConfig({}).PUBLIC_BASE_URL).toBe('http://localhost:3000');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://corridor.example/' }).PUBLIC_BASE_URL).toBe(
      'https://corridor.example',
    );
  });

  it('is required in production, and https unless explicitly allowed', () => {
    expect(() => loadConfig(PROD)).toThrow(
      configProblem({ variable: 'PUBLIC_BASE_URL', reason: 'required_in_production' }),
    );
    expect(() => loadConfig({ ...PROD, PUBLIC_BASE_URL: 'http://corridor.example' })).toThrow(
      configProblem({ variable: 'PUBLIC_BASE_URL', reason: 'https_required' }),
    );
    expect(
      loadConfig({ ...PROD, PUBLIC_BASE_URL: 'http://corridor.example', PUBLIC_BASE_URL_ALLOW_HTTP: 'true' })
        .PUBLIC_BASE_URL,
    ).toBe('http://corridor.example');
    expect(loadConfig({ ...PROD, PUBLIC_BASE_URL: 'https://corridor.example' }).PUBLIC_BASE_URL).toBe(
      'https://corridor.example',
    );
  });

  it('is an origin: no path, query or fragment', () => {
    for (const bad of [
      'https://mfa.example/corridor',
      'https://x.example/?a=1',
      'ftp://x.example',
      'nonsense',
    ])
      expect(() => loadConfig({ PUBLIC_BASE_URL: bad }), bad).toThrow(/PUBLIC_BASE_URL/);
  });
});

describe('TAG_AUTHORITY', () => {
  it('is an RFC 4151 tagging entity, required in production', () => {
    expect(loadConfig({}).TAG_AUTHORITY).toBe('corridor.localhost,2026');
    expect(() => loadConfig({ ...PROD, TAG_AUTHORITY: '', PUBLIC_BASE_URL: 'https://c.example' })).toThrow(
      configProblem({ variable: 'TAG_AUTHORITY', reason: 'required_in_production' }),
    );
    for (const ok of ['mfa.gov.kz,2026', 'mfa.gov.kz,2026-03', 'press@mfa.gov.kz,2026-03-01'])
      expect(loadConfig({ TAG_AUTHORITY: ok }).TAG_AUTHORITY).toBe(ok);
    for (const bad of ['mfa.gov.kz', 'mfa.gov.kz,26', 'mfa.gov.kz,2026-13', 'http://x,2026'])
      expect(() => loadConfig({ TAG_AUTHORITY: bad }), bad).toThrow(/TAG_AUTHORITY/);
  });
});

describe('the public URL scheme', () => {
  it('negotiates / from Accept-Language, q-values weighed (the table nginx is checked on)', () => {
    for (const [header, lang] of ACCEPT_LANGUAGE_TABLE)
      expect(resolvePublicUrl('/', header), String(header)).toMatchObject({
        kind: 'redirect',
        status: 302,
        location: `/${lang}/`,
        negotiated: true,
      });
  });

  it('maps each URL to its output, ignoring query strings but an old ?lang=', () => {
    expect(resolvePublicUrl('/ru/feed.atom?utm=x', 'kk')).toMatchObject({ kind: 'output', lang: 'ru' });
    expect(resolvePublicUrl('/api/v1/status', 'kk')).toMatchObject({ kind: 'output', lang: 'en' });
    expect(resolvePublicUrl('/status.csv?x=1&lang=kk', 'ru')).toMatchObject({
      status: 301,
      location: '/kk/status.csv',
    });
    expect(resolvePublicUrl('/?lang=xx', 'ru')).toMatchObject({ status: 302, location: '/ru/' });
    expect(resolvePublicUrl('/de/', 'ru')).toBeUndefined();
    expect(resolvePublicUrl('/staff', 'ru')).toBeUndefined();
  });
});
