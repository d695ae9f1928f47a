// npm run user:unlock -- --email someone@example.org
// Lifts the sign-in lock of an account (too many attempts) before its window ends,
// on whichever database the configuration names. docs/security.md, "Sign-in attempts".
import { parseArgs } from 'node:util';
import { openConfiguredDatabase, prepareDatabase } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { unlockAccount } from '../domain/auth/sign-in.ts';
import { createLogger } from '../log.ts';
import { refuse, runCli } from './run-cli.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: 'string' } }, strict: true });
  if (!values.email) {
    refuse('usage', 'Usage: npm run user:unlock -- --email <email>');
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger('warn');
  const database = await openConfiguredDatabase(config, logger);
  try {
    // As `npm start` would: a data folder this command creates gets the reported figures too,
    // so a first account made before the first start does not leave the public page empty.
    await prepareDatabase(database, { seed: config.SEED_ON_EMPTY, logger });
    await unlockAccount({ database, config }, values.email);
    console.log(`Sign-in attempts for ${values.email.trim().toLowerCase()} may start again.`);
    return 0;
  } finally {
    await database.close();
  }
}

runCli(main);
