// Staff recipients of the digest (they get the staff version):
//   npm run digest:recipients -- list [--operation slug]
//   npm run digest:recipients -- add someone@ministry.example --lang ru [--operation slug]
//   npm run digest:recipients -- remove someone@ministry.example [--operation slug]
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openConfiguredDatabase, prepareDatabase } from '../bootstrap.ts';
import { systemClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import {
  addStaffRecipient,
  normaliseEmail,
  removeStaffRecipientById,
  staffRecipients,
} from '../domain/subscriptions.ts';
import { LANGUAGES, isLang } from '../i18n/index.ts';
import { createLogger } from '../log.ts';
import { listOperations } from '../store/repositories/catalog.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { operation: { type: 'string' }, lang: { type: 'string', default: 'en' } },
});
const [command, address] = positionals;
const usage =
  'usage: digest:recipients -- list | add <email> [--lang kk|ru|en] | remove <email>  [--operation slug]';
const fail = (m: string): never => {
  console.error(m);
  process.exit(2);
};
if (!command || !['list', 'add', 'remove'].includes(command)) fail(usage);
if (command !== 'list' && !z.string().email().safeParse(address).success)
  fail(`${command}: a valid email address is required`);
if (!isLang(values.lang)) fail(`--lang must be one of ${LANGUAGES.join(', ')}`);

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const database = await openConfiguredDatabase(config, logger);
try {
  await prepareDatabase(database, { seed: config.SEED_ON_EMPTY, logger });
  const operations = (await listOperations(database.db)).filter(
    (o) => !values.operation || o.slug === values.operation,
  );
  if (operations.length !== 1)
    fail(
      operations.length === 0
        ? 'No such operation.'
        : `Several operations: pass --operation (${operations.map((o) => o.slug).join(', ')})`,
    );
  const operation = operations[0]!;
  const now = systemClock.now();
  if (command === 'add') {
    await addStaffRecipient(
      { database, now },
      { operationId: operation.id, email: address!, language: values.lang as 'en' },
    );
    console.log(
      `added ${normaliseEmail(address!)} (${values.lang}) as a staff recipient of ${operation.slug}`,
    );
  } else if (command === 'remove') {
    const found = (await staffRecipients({ database }, operation.id)).find(
      (r) => r.email === normaliseEmail(address!),
    );
    if (!found) fail(`${normaliseEmail(address!)} is not a staff recipient of ${operation.slug}`);
    await removeStaffRecipientById({ database, now }, { operationId: operation.id, id: found!.id });
    console.log(`removed ${found!.email}`);
  } else {
    const list = await staffRecipients({ database }, operation.id);
    for (const r of list) console.log(`${r.email}\t${r.language}\t${r.status}`);
    if (list.length === 0) console.log('(no staff recipients)');
  }
} finally {
  await database.close();
}
