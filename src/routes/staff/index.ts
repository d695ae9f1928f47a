// Everything under /staff. The session middleware runs first (who is asking,
// CSRF, no-store); then each area's router. Add an area with one line:
//   mountStaffArea(router, '', workspaceRouter(deps));
// and declare its routes with staffRoute(router, method, path, leastRole, handler).
import { Router } from 'express';
import type { AppDeps } from '../../deps.ts';
import { authRouter, signInAfterUnauthenticated } from './auth.ts';
import { mountStaffArea, requireRole } from './define.ts';
import { staffSession } from './session.ts';
import { usersRouter } from './users.ts';
import { digestStaffRouter } from './digest.ts';
import { digestUncertainRouter } from './digest-uncertain.ts';
import { workspaceRouter } from './workspace.ts';

export function staffRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(staffSession(deps)); // reads its cookies with the one parser (src/routes/cookies.ts)

  mountStaffArea(router, '', authRouter(deps)); // sign-in, sign-out, my account and sessions
  mountStaffArea(router, '/users', usersRouter(deps)); // admin: accounts, roles, sessions
  mountStaffArea(router, '', workspaceRouter(deps)); // dashboard, movements, counts, catalogue, history, CSV
  mountStaffArea(router, '/digest', digestStaffRouter(deps)); // digest preview and staff recipients
  mountStaffArea(router, '/digest', digestUncertainRouter(deps)); // uncertain deliveries and their resend

  // An unknown /staff path: anonymous → sign-in (no probing); signed in → 404.
  router.use(requireRole('viewer'));
  router.use(signInAfterUnauthenticated(deps));
  return router;
}
