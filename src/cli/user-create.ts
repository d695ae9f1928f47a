// npm run user:create -- --email someone@example.org --role admin [--name "Full Name"]
// The password is prompted without echo, or read from stdin's first line when
// piped. There is no default password: this is how the first admin is made.
import { parseArgs } from 'node:util';
import { openConfiguredDatabase, prepareDatabase } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { passwordProblem } from '../domain/auth/passwords.ts';
import { ROLES, isRole } from '../domain/auth/roles.ts';
import { createUser } from '../domain/auth/users.ts';
import { t } from '../i18n/index.ts';
import { createLogger } from '../log.ts';
import { readNewPassword } from './read-password.ts';
import { refuse, runCli } from './run-cli.ts';
import { systemClock } from '../clock.ts';

const USAGE = `Usage: npm run user:create -- --email <email> --role <${ROLES.join('|')}> [--name <name>]
The password is asked for (not echoed), or read from the first line of stdin.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
    strict: true,
  });
  if (!values.email || !values.role) {
    refuse('usage', USAGE);
    return 2;
  }
  if (!isRole(values.role)) {
    refuse(
      'staff.field.role.invalid',
      `role: ${t('en', 'staff.field.role.invalid')} (${ROLES.join(', ')})`,
      'role',
    );
    return 1;
  }
  const password = await readNewPassword();
  // Refuse a bad password before touching the database.
  const problem = passwordProblem(password);
  if (problem) {
    refuse(`staff.field.${problem}`, `password: ${t('en', `staff.field.${problem}`)}`, 'password');
    return 1;
  }
  const config = loadConfig();
  const logger = createLogger('warn');
  const database = await openConfiguredDatabase(config, logger);
  try {
    // As `npm start` would: a data folder this command creates gets the reported figures too,
    // so a first account made before the first start does not leave the public page empty.
    await prepareDatabase(database, { seed: config.SEED_ON_EMPTY, logger });
    const user = await createUser(
      { db: database.db, now: systemClock.now() },
      {
        email: values.email,
        name: values.name ?? values.email.split('@')[0] ?? values.email,
        role: values.role,
        password,
        actor: { id: null, label: 'cli:user:create' },
      },
    );
    console.log(`Created ${user.role} ${user.email} (id ${user.id}).`);
    return 0;
  } finally {
    await database.close();
  }
}

runCli(main);
