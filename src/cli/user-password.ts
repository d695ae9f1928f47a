// npm run user:password -- --email someone@example.org
// Sets a new password (prompted without echo, or stdin's first line) and ends
// every session of the account. For a forgotten password or a lost admin.
import { parseArgs } from 'node:util';
import { openConfiguredDatabase, prepareDatabase } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { setPassword } from '../domain/auth/users.ts';
import { createLogger } from '../log.ts';
import { findUserByEmail } from '../store/repositories/users.ts';
import { readNewPassword } from './read-password.ts';
import { refuse, runCli } from './run-cli.ts';
import { systemClock } from '../clock.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: 'string' } }, strict: true });
  if (!values.email) {
    refuse('usage', 'Usage: npm run user:password -- --email <email>');
    return 2;
  }
  const password = await readNewPassword();
  const config = loadConfig();
  const logger = createLogger('warn');
  const database = await openConfiguredDatabase(config, logger);
  try {
    // As `npm start` would: a data folder this command creates gets the reported figures too,
    // so a first account made before the first start does not leave the public page empty.
    await prepareDatabase(database, { seed: config.SEED_ON_EMPTY, logger });
    const user = await findUserByEmail(database.db, values.email);
    if (!user) {
      refuse('not_found', `No account has the email ${values.email}.`, 'email');
      return 1;
    }
    await setPassword(
      { db: database.db, now: systemClock.now() },
      { actor: { id: null, label: 'cli:user:password' }, userId: user.id, password },
    );
    console.log(`New password set for ${user.email}; its sessions have ended.`);
    return 0;
  } finally {
    await database.close();
  }
}

runCli(main);
