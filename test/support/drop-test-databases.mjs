// Drops a finished test run's databases, detached from the run (test/support/global-setup.ts):
// each DROP DATABASE forces a checkpoint that syncs every file not yet synced, about 400 per
// test database, and the first drop of a run waited 6–35 s syncing the others. The run no
// longer waits for its own clean-up.
// Usage: node drop-test-databases.mjs <server url> <LIKE pattern of the run's databases>
import pg from 'pg';

const [url, pattern] = process.argv.slice(2);
const client = new pg.Client({ connectionString: url });
await client.connect();
const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [pattern]);
for (const { datname } of rows) {
  if (!/^corridor_[a-z0-9_]+$/.test(datname)) continue;
  await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
}
await client.end();
