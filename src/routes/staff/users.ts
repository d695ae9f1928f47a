// Admin pages: list, create, disable/enable users, change roles, end sessions.
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.ts';
import { activeSessions } from '../../domain/auth/sessions.ts';
import {
  actorOf,
  changeRole,
  createUser,
  disableUser,
  enableUser,
  revokeUserSessions,
} from '../../domain/auth/users.ts';
import { AppError, notFound } from '../../errors.ts';
import { t } from '../../i18n/index.ts';
import {
  fieldMessages,
  presentAccountHistory,
  presentSessions,
  presentUsers,
  roleOptions,
} from '../../presenters/staff-users.ts';
import { accountAuditOf } from '../../store/repositories/account-audit.ts';
import { findUserById, listUsers } from '../../store/repositories/users.ts';
import { staffRoute } from './define.ts';
import { f, parseForm, typed } from './forms.ts';
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

const userId = (req: Request) => {
  const id = z.coerce.number().int().positive().max(2_147_483_647).safeParse(req.params.id);
  if (!id.success) throw notFound('User');
  return id.data;
};

const isValidation = (err: unknown): err is AppError =>
  err instanceof AppError && err.code === 'validation_failed';

export function usersRouter(deps: AppDeps): Router {
  const router = Router();
  const db = deps.database.db;
  const now = () => deps.clock.now();

  const showUser = async (
    req: Request,
    res: Response,
    id: number,
    extra: { status?: number; errors?: Record<string, string>; notice?: string } = {},
  ) => {
    const lang = res.locals.lang;
    const user = await findUserById(db, id);
    if (!user) throw notFound('User');
    const sessions = await activeSessions({ db, config: deps.config, now: now() }, id);
    const history = await accountAuditOf(db, id);
    renderStaff(
      deps,
      req,
      res,
      'staff/user',
      {
        title: user.name,
        user: presentUsers(lang, [user])[0],
        roles: roleOptions(lang, user.role),
        sessions: presentSessions(lang, sessions, res.locals.sessionIdHash),
        history: presentAccountHistory(lang, history),
        isSelf: res.locals.user?.id === id,
        errors: extra.errors ? fieldMessages(lang, extra.errors) : undefined,
        notice: extra.notice,
      },
      extra.status,
    );
  };

  staffRoute(router, 'get', '/', 'admin', async (req, res) => {
    const lang = res.locals.lang;
    renderStaff(deps, req, res, 'staff/users', {
      title: t(lang, 'staff.users.title'),
      users: presentUsers(lang, await listUsers(db)),
    });
  });

  const renderNew = (
    req: Request,
    res: Response,
    values: Record<string, string>,
    errors?: Record<string, string>,
  ) => {
    const lang = res.locals.lang;
    renderStaff(
      deps,
      req,
      res,
      'staff/user-new',
      {
        title: t(lang, 'staff.users.new'),
        values: { email: values.email ?? '', name: values.name ?? '' },
        roles: roleOptions(lang, values.role ?? 'viewer'),
        errors: errors ? fieldMessages(lang, errors) : undefined,
      },
      errors ? 422 : 200,
    );
  };

  staffRoute(router, 'get', '/new', 'admin', (req, res) => renderNew(req, res, {}));

  staffRoute(router, 'post', '/', 'admin', async (req, res) => {
    try {
      const form = parseForm(newUserForm, req.body);
      const user = await createUser({ db, now: now() }, { ...form, actor: actorOf(res.locals.user!) });
      res.redirect(303, `/staff/users/${user.id}?done=created`);
    } catch (err) {
      if (!isValidation(err)) throw err;
      renderNew(req, res, typed(req.body), err.fields);
    }
  });

  staffRoute(router, 'get', '/:id', 'admin', async (req, res) => {
    const done = req.query.done;
    const lang = res.locals.lang;
    const notice =
      done === 'created'
        ? t(lang, 'staff.users.created')
        : done === 'updated'
          ? t(lang, 'staff.users.updated')
          : typeof req.query.revoked === 'string'
            ? t(lang, 'staff.users.revoked', { count: Number(req.query.revoked) || 0 })
            : undefined;
    await showUser(req, res, userId(req), { notice });
  });

  // One shape for the account actions: run, redirect back; a refused change re-renders with 422.
  const action =
    (run: (req: Request, res: Response, id: number) => Promise<string>) =>
    async (req: Request, res: Response) => {
      const id = userId(req);
      try {
        res.redirect(303, `/staff/users/${id}?${await run(req, res, id)}`);
      } catch (err) {
        if (!isValidation(err)) throw err;
        await showUser(req, res, id, { status: 422, errors: err.fields });
      }
    };

  staffRoute(
    router,
    'post',
    '/:id/role',
    'admin',
    action(async (req, res, id) => {
      const { role } = parseForm(roleForm, req.body);
      await changeRole({ db, now: now() }, { actor: actorOf(res.locals.user!), userId: id, role });
      return 'done=updated';
    }),
  );

  staffRoute(
    router,
    'post',
    '/:id/disable',
    'admin',
    action(async (_req, res, id) => {
      await disableUser({ db, now: now() }, { actor: actorOf(res.locals.user!), userId: id });
      return 'done=updated';
    }),
  );

  staffRoute(
    router,
    'post',
    '/:id/enable',
    'admin',
    action(async (_req, res, id) => {
      await enableUser({ db, now: now() }, { actor: actorOf(res.locals.user!), userId: id });
      return 'done=updated';
    }),
  );

  staffRoute(
    router,
    'post',
    '/:id/sessions/revoke',
    'admin',
    action(async (_req, res, id) => {
      const count = await revokeUserSessions(
        { db, now: now() },
        { actor: actorOf(res.locals.user!), userId: id },
      );
      return `revoked=${count}`;
    }),
  );

  return router;
}
