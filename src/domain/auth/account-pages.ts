// What the admin pages read about accounts: the list, and one account with its live
// sessions and history. Routes call these, never the store (docs/architecture.md).
import type { Db } from '../../store/database.ts';
import { accountAuditOf } from '../../store/repositories/account-audit.ts';
import { findUserById, listUsers } from '../../store/repositories/users.ts';
import { notFound } from '../../errors.ts';
import { type SessionConfig, activeSessions } from './sessions.ts';

export const listAccounts = (db: Db) => listUsers(db);

export async function loadAccount(deps: { db: Db; config: SessionConfig; now: Date }, id: number) {
  const user = await findUserById(deps.db, id);
  if (!user) throw notFound('User');
  const sessions = await activeSessions(deps, id);
  const history = await accountAuditOf(deps.db, id);
  return { user, sessions, history };
}
export type AccountPage = Awaited<ReturnType<typeof loadAccount>>;
