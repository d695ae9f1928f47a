// npm run user:unlock -- --email someone@example.org
// Lifts the sign-in lock of an account (too many attempts) before its window ends,
// on whichever database the configuration names. docs/security.md, "Sign-in attempts".
import { parseArgs } from 'node:util';
import { openConfiguredDatabase } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { unlockAccount } from '../domain/auth/sign-in.ts';
import { createLogger } from '../log.ts';
import { migrateDatabase } from '../store/migrate.ts';
import { refuse, runCli } from './run-cli.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: 'string' } }, strict: true });
  if (!values.email) {
    refuse('usage', 'Usage: npm run user:unlock -- --email <email>');
    return 2;
  }
  const config = loadConfig();
  const database = await openConfiguredDatabase(config, createLogger('warn'));
  try {
    await migrateDatabase(database);
    await unlockAccount({ database, config }, values.email);
    console.log(`Sign-in attempts for ${values.email.trim().toLowerCase()} may start again.`);
    return 0;
  } finally {
    await database.close();
  }
}

runCli(main);
