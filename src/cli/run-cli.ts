// How every account CLI ends: its exit code, or the error said plainly (field
// messages in English, configuration and lock errors as they are), followed by one
// machine-readable line per problem, `error=<code>` (and ` field=<name>`), which
// scripts and tests read instead of the English (docs/contributing.md, "Tests that wait").
import { ConfigError } from '../config.ts';
import { AppError } from '../errors.ts';
import { t } from '../i18n/index.ts';
import { DatabaseUnreachableError } from '../bootstrap.ts';
import { DataDirError } from '../store/data-dir.ts';
import { DataDirLockedError } from '../store/data-dir-lock.ts';

/** A refusal: the sentence for people, then its stable code on a line of its own. */
export function refuse(code: string, message: string, field?: string): void {
  console.error(message);
  console.error(field ? `error=${code} field=${field}` : `error=${code}`);
}

/**
 * What a command did, for scripts: one line of `key=value` pairs on stdout after the
 * sentence for people (`digest=claimed run=12 recipients=2`); values never hold spaces.
 */
export function outcome(fields: Record<string, string | number | boolean | null | undefined>): void {
  const pairs = Object.entries(fields).filter(([, v]) => v !== undefined && v !== null);
  console.log(pairs.map(([k, v]) => `${k}=${String(v)}`).join(' '));
}

/** The stable code of an error that is not an AppError: its own `code` when it has one. */
const codeOf = (err: unknown) =>
  typeof (err as { code?: unknown } | null)?.code === 'string' ? (err as { code: string }).code : 'failed';

export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof AppError && err.code === 'validation_failed') {
        for (const [field, key] of Object.entries(err.fields))
          refuse(key, `${field}: ${t('en', key)}`, field);
      } else if (err instanceof AppError) {
        refuse(err.code, err.message);
      } else if (
        err instanceof ConfigError ||
        err instanceof DataDirLockedError ||
        err instanceof DataDirError ||
        err instanceof DatabaseUnreachableError
      ) {
        refuse(codeOf(err), err.message);
      } else {
        refuse(codeOf(err), err instanceof Error ? err.message : String(err));
      }
      process.exit(1);
    },
  );
}
