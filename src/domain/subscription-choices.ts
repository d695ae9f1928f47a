// What the public sign-up form offers: the operations one can subscribe to, the one
// chosen (by slug, or the only one) and its routes. Presenters get this, never the store.
import type { Database } from '../store/database.ts';
import { type OperationRow, type RouteRow, routesOfOperation } from '../store/repositories/catalog.ts';
import { signUpOperations } from './subscriptions.ts';

export type SignUpChoices = { operations: OperationRow[]; selected?: OperationRow; routes: RouteRow[] };

export async function signUpChoices(
  deps: { database: Database },
  slug: string | undefined,
): Promise<SignUpChoices> {
  const operations = await signUpOperations(deps);
  const selected =
    operations.find((o) => o.slug === slug) ?? (operations.length === 1 ? operations[0] : undefined);
  const routes = selected ? await routesOfOperation(deps.database.db, selected.id) : [];
  return { operations, selected, routes };
}
