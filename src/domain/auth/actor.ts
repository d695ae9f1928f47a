// Who did something, as recorded in audit rows: the one actorOf for every use case.
// `label` is the name shown in histories; `email` is kept beside it for the account
// audit, where the address identifies the account holder unambiguously.
import type { StaffUser } from './roles.ts';

export type Actor = { id: number | null; label: string; email?: string };

export const actorOf = (user: StaffUser): Actor => ({ id: user.id, label: user.name, email: user.email });

/** The label an account-audit row records: the address when there is one. */
export const accountLabel = (actor: Actor) => actor.email ?? actor.label;
