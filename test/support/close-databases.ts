// A setup file of every project: after each test file, close the test databases it left
// open (test/support/db.ts registers them). With shared workers (the fast project) an open
// database would otherwise keep its connections for the rest of the run. It imports
// nothing of the app: a file that vi.mocks a module (the language registry) must load it
// after its mock, not through this file.
import { afterAll } from 'vitest';

afterAll(async () => {
  const open = (globalThis as { corridorOpenTestDatabases?: Set<{ close(): Promise<void> }> })
    .corridorOpenTestDatabases;
  if (!open) return;
  await Promise.all([...open].map((d) => d.close().catch(() => undefined)));
});
