// npm run db:backup [-- <file>]: a backup of whichever database the configuration names.
import { loadConfig } from '../config.ts';
import { refuse } from './run-cli.ts';
import { type BackupTarget, backupDatabase, defaultBackupFile } from '../store/backup.ts';

const config = loadConfig();
const target: BackupTarget = config.DATABASE_URL
  ? { kind: 'postgres', url: config.DATABASE_URL }
  : { kind: 'pglite', dataDir: config.DATA_DIR };
const file = process.argv[2] ?? defaultBackupFile(target, config.BACKUP_DIR);
try {
  await backupDatabase(target, file);
  console.log(`Backup of the ${target.kind} database written to ${file}`);
} catch (err) {
  // The sentence, then error=<code> (run-cli.ts): a BackupError's, a locked or damaged folder's.
  const code = (err as { code?: unknown }).code;
  refuse(typeof code === 'string' ? code : 'failed', (err as Error).message);
  process.exit(1);
}
