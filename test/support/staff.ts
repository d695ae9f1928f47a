// Staff accounts and signed-in HTTP clients for tests, over the real sign-in:
//
//   const officer = await signIn(server, 'officer');
//   const page = await officer.get('/staff/movements/1');          // cookie sent
//   const res = await officer.post('/staff/movements/1/counts', { … }); // _csrf added
//
// Requests never follow redirects (check res.status / location yourself).
import type { Role } from '../../src/domain/auth/roles.ts';
import { hashPassword } from '../../src/domain/auth/passwords.ts';
import type { Db } from '../../src/store/database.ts';
import { insertUser, updateUser } from '../../src/store/repositories/users.ts';
import type { TestServer } from './app.ts';

export const TEST_PASSWORD = 'a long test passphrase 42';

let seq = 0;
let defaultHash: Promise<string> | undefined;

/** A user with `role` whose password is TEST_PASSWORD (or `password`). */
export async function createStaffUser(
  db: Db,
  role: Role,
  options: { email?: string; name?: string; password?: string; disabled?: boolean } = {},
) {
  const passwordHash = options.password
    ? await hashPassword(options.password)
    : await (defaultHash ??= hashPassword(TEST_PASSWORD));
  let user = await insertUser(db, {
    email: options.email ?? `${role}-${Date.now().toString(36)}-${++seq}@staff.test`,
    name: options.name ?? `Test ${role} ${seq}`,
    role,
    passwordHash,
  });
  if (options.disabled) user = (await updateUser(db, user.id, { disabledAt: new Date() }))!;
  return { ...user, password: options.password ?? TEST_PASSWORD };
}

/** Cookies kept across requests, like a browser's for one site. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k = '', v = ''] = a.trim().split('=');
        return (
          (k.toLowerCase() === 'max-age' && Number(v) <= 0) ||
          (k.toLowerCase() === 'expires' && new Date(v).getTime() < Date.now())
        );
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export function csrfFrom(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

export type StaffClient = {
  jar: CookieJar;
  /** The token to send as `_csrf` (kept up to date from the pages fetched). */
  csrfToken: string;
  get(path: string, init?: RequestInit): Promise<Response>;
  /** Form POST (urlencoded); `_csrf` is added unless given (pass `_csrf: ''` to omit). */
  post(path: string, fields?: Record<string, string | number>, init?: RequestInit): Promise<Response>;
  request(path: string, init?: RequestInit): Promise<Response>;
};

/** A browser-like client without a session (it has the sign-in form's token once it GETs a page). */
export function staffClient(server: TestServer, options: { ip?: string } = {}): StaffClient {
  const jar = new CookieJar();
  const ip = options.ip ?? `10.${seq % 250}.${Math.floor(Math.random() * 250)}.${++seq % 250}`;
  const client: StaffClient = {
    jar,
    csrfToken: '',
    async request(path, init = {}) {
      const headers = new Headers(init.headers);
      if (jar.cookies.size) headers.set('cookie', jar.header());
      if (!headers.has('x-forwarded-for')) headers.set('x-forwarded-for', ip);
      const res = await fetch(`${server.url}${path}`, { redirect: 'manual', ...init, headers });
      jar.take(res);
      return res;
    },
    async get(path, init) {
      const res = await client.request(path, { ...init, method: 'GET' });
      if ((res.headers.get('content-type') ?? '').includes('text/html')) {
        const html = await res.text();
        const token = csrfFrom(html);
        if (token) client.csrfToken = token;
        return new Response(html, { status: res.status, statusText: res.statusText, headers: res.headers });
      }
      return res;
    },
    async post(path, fields = {}, init = {}) {
      const body = new URLSearchParams();
      if (!('_csrf' in fields)) body.set('_csrf', client.csrfToken);
      for (const [k, v] of Object.entries(fields)) if (!(k === '_csrf' && v === '')) body.set(k, String(v));
      const headers = new Headers(init.headers);
      headers.set('content-type', 'application/x-www-form-urlencoded');
      return client.request(path, { ...init, method: 'POST', body, headers });
    },
  };
  return client;
}

export type StaffTestUser = Awaited<ReturnType<typeof createStaffUser>>;

/**
 * Sign in over HTTP as a new user with `role` (or as `options.user`, e.g. one
 * made with createStaffUser). The client then holds the session cookie and the
 * session's CSRF token.
 */
export async function signIn(
  server: TestServer,
  role: Role,
  options: { user?: StaffTestUser; ip?: string } = {},
): Promise<StaffClient & { user: StaffTestUser }> {
  const user = options.user ?? (await createStaffUser(server.deps.database.db, role));
  const client = staffClient(server, { ip: options.ip });
  await client.get('/staff/sign-in');
  const res = await client.post('/staff/sign-in', { email: user.email, password: user.password });
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}: ${await res.text()}`);
  const account = await client.get('/staff/account');
  if (account.status !== 200) throw new Error(`signed-in page answered ${account.status}`);
  return Object.assign(client, { user });
}
