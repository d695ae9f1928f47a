// Admin pages: list, create, disable/enable users, change roles, end sessions.
// Every form goes through the form pipeline (../form-pipeline.ts).
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { listAccounts, loadAccount } from '../../domain/auth/account-pages.ts';
import {
  changeRole,
  createUser,
  disableUser,
  enableUser,
  revokeUserSessions,
} from '../../domain/auth/users.ts';
import { presentNewUserPage, presentUserPage, presentUsersPage } from '../../presenters/staff-users.ts';
import { handleForm } from '../form-pipeline.ts';
import { locals, permissions } from '../locals.ts';
import { staffRoute } from './define.ts';
import { actorOf, f, idParam } from './forms.ts';
import { renderStaff } from './render.ts';

// Single text values (a repeated or array field is a 422 from parseForm); the
// account rules themselves (address, role, password length) are checked by the domain.
const text = (max: number) => f.optionalText(max).transform((v) => v ?? '');
const newUserForm = z.object({
  email: text(1000),
  name: text(1000),
  role: text(20),
  password: z.preprocess((v) => v ?? '', z.string().max(4096, 'field.too_long')),
});
const roleForm = z.object({ role: text(20) });
const noFields = z.object({});

export function usersRouter(deps: AppDeps): Router {
  const router = Router();
  const db = deps.database.db;
  const domain = () => ({ db, now: deps.clock.now() });

  const showUser = async (req: Request, res: Response, status = 200, errors?: Record<string, string>) => {
    const l = locals(res);
    const page = await loadAccount({ ...domain(), config: deps.config }, idParam(req));
    const model = presentUserPage(l.lang, page, permissions(res), {
      timeZone: deps.config.STAFF_TIME_ZONE,
      selfId: l.user?.id,
      sessionIdHash: l.sessionIdHash,
      notice: status === 200 ? { done: req.query.done, revoked: req.query.revoked } : undefined,
      errors,
    });
    renderStaff(deps, req, res, 'staff/user', model, status);
  };

  staffRoute(router, 'get', '/', 'admin', async (req, res) => {
    const model = presentUsersPage(locals(res).lang, await listAccounts(db), permissions(res));
    renderStaff(deps, req, res, 'staff/users', model);
  });

  staffRoute(router, 'get', '/new', 'admin', (req, res) =>
    renderStaff(deps, req, res, 'staff/user-new', presentNewUserPage(locals(res).lang, {})),
  );

  staffRoute(router, 'post', '/', 'admin', (req, res) =>
    handleForm(req, res, {
      schema: newUserForm,
      run: async (form) => {
        const user = await createUser(domain(), { ...form, actor: actorOf(res) });
        return `/staff/users/${user.id}?done=created`;
      },
      fail: (failure) =>
        failure.status === 422
          ? renderStaff(
              deps,
              req,
              res,
              'staff/user-new',
              presentNewUserPage(locals(res).lang, failure.values, failure.errors),
              422,
            )
          : Promise.reject(failure.error),
    }),
  );

  staffRoute(router, 'get', '/:id', 'admin', (req, res) => showUser(req, res));

  // One shape for the account actions: run, back to the account; a refused change re-renders with 422.
  const action =
    <T>(schema: z.ZodType<T>, run: (form: T, userId: number, res: Response) => Promise<string>) =>
    (req: Request, res: Response) => {
      const userId = idParam(req);
      return handleForm(req, res, {
        schema,
        run: async (form) => `/staff/users/${userId}?${await run(form, userId, res)}`,
        fail: (failure) =>
          failure.status === 422 ? showUser(req, res, 422, failure.errors) : Promise.reject(failure.error),
      });
    };

  staffRoute(
    router,
    'post',
    '/:id/role',
    'admin',
    action(roleForm, async ({ role }, userId, res) => {
      await changeRole(domain(), { actor: actorOf(res), userId, role });
      return 'done=updated';
    }),
  );
  staffRoute(
    router,
    'post',
    '/:id/disable',
    'admin',
    action(noFields, async (_form, userId, res) => {
      await disableUser(domain(), { actor: actorOf(res), userId });
      return 'done=updated';
    }),
  );
  staffRoute(
    router,
    'post',
    '/:id/enable',
    'admin',
    action(noFields, async (_form, userId, res) => {
      await enableUser(domain(), { actor: actorOf(res), userId });
      return 'done=updated';
    }),
  );
  staffRoute(
    router,
    'post',
    '/:id/sessions/revoke',
    'admin',
    action(noFields, async (_form, userId, res) => {
      const count = await revokeUserSessions(domain(), { actor: actorOf(res), userId });
      return `revoked=${count}`;
    }),
  );

  return router;
}
