// npm run db:backup [-- <file>]: a backup of whichever database the configuration names.
import { loadConfig } from '../config.ts';
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
  console.error((err as Error).message);
  process.exit(1);
}
