// Public-output tests: one departed movement on a public operation, and a staff
// save of its figure (through the use case, so it notifies as every save does).
import { updateMovementCounts } from '../../src/domain/update-counts.ts';
import type { Db } from '../../src/store/database.ts';
import { counts, makeMovement, makeOperation, makeRoute } from './factories.ts';

export async function makeDepartedMovement(db: Db, departed = 400) {
  const op = await makeOperation(db);
  const { route } = await makeRoute(db, op.id);
  return makeMovement(db, route.id, { status: 'departed' }, counts({ departed: { total: departed } }));
}

export function saveDeparted(db: Db, movementId: number, version: number, departed: number) {
  return updateMovementCounts(
    { db },
    {
      movementId,
      expectedVersion: version,
      counts: counts({ departed: { total: departed } }),
      reason: 'public output test',
      sourceId: null,
      actor: { id: null, label: 'test' },
    },
  );
}
