// Every /staff route is declared here WITH the least role that may use it, so
// the authorization matrix test is generated from the routers themselves:
//
//   staffRoute(router, 'post', '/movements/:id/counts', 'officer', handler);
//   staffRoute(router, 'get', '/users', 'admin', handler);
//   staffRoute(router, 'get', '/sign-in', 'public', handler);   // no session needed
//
// 'viewer' = any signed-in staff member. A route added with router.get/post
// directly is caught by undeclaredRoutes() in the matrix test.
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { type Role, hasRole } from '../../domain/auth/roles.ts';
import { AppError } from '../../errors.ts';
import { verifyCsrf } from './csrf.ts';

export { ROLES, hasRole, type Role, type StaffUser } from '../../domain/auth/roles.ts';
export type Access = Role | 'public';
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type StaffRouteSpec = { method: Method; path: string; access: Access };

const declared = new WeakMap<Router, StaffRouteSpec[]>();
const mounted = new WeakMap<Router, { prefix: string; child: Router }[]>();
const declaredRoutes = new WeakSet<object>();

/** Refuses anonymous requests (GET → sign-in page, others 401) and too-low roles (403). */
export function requireRole(least: Role): RequestHandler {
  return (req, res, next) => {
    const user = res.locals.user;
    if (!user) {
      if (req.method === 'GET' || req.method === 'HEAD') {
        res.redirect(303, `/staff/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      next(new AppError('unauthenticated', 'Sign in first.'));
      return;
    }
    if (!hasRole(user, least)) {
      next(new AppError('forbidden', 'Your role does not allow this.'));
      return;
    }
    next();
  };
}

// Anonymous state-changing requests reach only 'public' routes (sign-in); they
// carry the pre-session token. Signed-in ones were checked by the staff router,
// except multipart bodies, checked once the route's own parser has read them.
function csrfAfterBody(req: Request, res: Response, next: NextFunction) {
  if (res.locals.csrfDeferred) {
    res.locals.csrfDeferred = false;
    verifyCsrf(req, res);
  }
  next();
}

function publicGuard(req: Request, res: Response, next: NextFunction) {
  if (!res.locals.user && !['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
    // No pre-session cookie came with the request: its token was minted just now and proves nothing.
    if (res.locals.csrfFresh) throw new AppError('csrf_failed', 'The form has expired. Reload the page.');
    if (!isMultipart(req)) verifyCsrf(req, res);
    else res.locals.csrfDeferred = true;
  }
  next();
}

export const isMultipart = (req: Request) => /^multipart\//i.test(req.get('content-type') ?? '');

export function staffRoute(
  router: Router,
  method: Method,
  path: string,
  access: Access,
  ...handlers: RequestHandler[]
): void {
  if (handlers.length === 0) throw new Error(`staffRoute ${method} ${path}: no handler`);
  const guard = access === 'public' ? publicGuard : requireRole(access);
  const last = handlers[handlers.length - 1]!;
  const route = router.route(path);
  route[method](guard, ...handlers.slice(0, -1), csrfAfterBody, last);
  declaredRoutes.add(route);
  const list = declared.get(router) ?? [];
  list.push({ method, path, access });
  declared.set(router, list);
}

/** Mount an area's router under the staff router (prefix '' or '/something'). */
export function mountStaffArea(parent: Router, prefix: string, child: Router): void {
  if (prefix) parent.use(prefix, child);
  else parent.use(child);
  const list = mounted.get(parent) ?? [];
  list.push({ prefix, child });
  mounted.set(parent, list);
}

/** Every declared route under `router`, with full paths. */
export function listStaffRoutes(router: Router, base = '/staff'): StaffRouteSpec[] {
  const own = (declared.get(router) ?? []).map((r) => ({ ...r, path: joinPath(base, r.path) }));
  const children = (mounted.get(router) ?? []).flatMap((m) =>
    listStaffRoutes(m.child, joinPath(base, m.prefix)),
  );
  return [...own, ...children];
}

/** Routes registered on `router` (or routers mounted in it) without staffRoute. */
export function undeclaredRoutes(router: Router): string[] {
  const found: string[] = [];
  // express does not type its router's stack: a layer has a route, or a mounted router's stack.
  type Layer = { route?: { path: string; stack: unknown[] }; handle: unknown };
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        if (!declaredRoutes.has(layer.route)) found.push(String(layer.route.path));
      } else {
        const inner = (layer.handle as { stack?: Layer[] }).stack;
        if (Array.isArray(inner)) walk(inner);
      }
    }
  };
  walk((router as unknown as { stack: Layer[] }).stack);
  return found;
}

function joinPath(base: string, path: string): string {
  const joined = `${base.replace(/\/$/, '')}/${path.replace(/^\//, '')}`;
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}
