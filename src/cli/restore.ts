// npm run db:restore -- <file>: replace the configured database's contents with a backup.
// Stop the app first (the embedded database refuses while a server holds its folder).
import { loadConfig } from '../config.ts';
import { refuse } from './run-cli.ts';
import { type BackupTarget, restoreDatabase } from '../store/backup.ts';

const config = loadConfig();
const file = process.argv[2];
if (!file) {
  refuse('usage', 'Usage: npm run db:restore -- <backup file>');
  process.exit(2);
}
const target: BackupTarget = config.DATABASE_URL
  ? { kind: 'postgres', url: config.DATABASE_URL }
  : { kind: 'pglite', dataDir: config.DATA_DIR };
try {
  const aside = await restoreDatabase(target, file);
  console.log(`Restored the ${target.kind} database from ${file}`);
  if (aside) console.log(`The previous contents were kept in ${aside}`);
} catch (err) {
  // The sentence, then error=<code> (run-cli.ts): a BackupError's, a locked or damaged folder's.
  const code = (err as { code?: unknown }).code;
  refuse(typeof code === 'string' ? code : 'failed', (err as Error).message);
  process.exit(1);
}
