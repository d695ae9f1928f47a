// How every account CLI ends: its exit code, or the error said plainly (field
// messages in English, configuration and lock errors as they are).
import { ConfigError } from '../config.ts';
import { AppError } from '../errors.ts';
import { t } from '../i18n/index.ts';
import { DatabaseUnreachableError } from '../bootstrap.ts';
import { DataDirError } from '../store/data-dir.ts';
import { DataDirLockedError } from '../store/data-dir-lock.ts';

export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof AppError && err.code === 'validation_failed') {
        for (const [field, key] of Object.entries(err.fields)) console.error(`${field}: ${t('en', key)}`);
      } else if (
        err instanceof ConfigError ||
        err instanceof DataDirLockedError ||
        err instanceof DataDirError ||
        err instanceof DatabaseUnreachableError
      ) {
        console.error(err.message);
      } else {
        console.error(err instanceof Error ? err.message : err);
      }
      process.exit(1);
    },
  );
}
