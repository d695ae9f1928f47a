// npm run i18n:check — every catalogue against the English source (missing,
// extra and duplicate keys, ICU syntax, placeholders, plural categories) and
// against the code (unused keys, unknown keys, t() arguments). Exit 1 on any
// problem. The same check runs in CI as test/unit/i18n-catalogues.test.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogues } from '../src/i18n/catalogues/index.ts';
import { checkCatalogues, formatProblems } from '../src/i18n/check.ts';
import { LANGUAGE_REGISTRY } from '../src/i18n/languages.ts';
import { checkUsage } from './i18n-usage.ts';

export function checkRepository(root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')) {
  const problems = checkCatalogues({ languages: LANGUAGE_REGISTRY, source: 'en', catalogues });
  const english = new Map(Object.values(catalogues.en).flatMap((area) => Object.entries(area)));
  return problems.concat(checkUsage(english, root));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const problems = checkRepository();
  if (problems.length) {
    console.error(formatProblems(problems));
    console.error(`\n${problems.length} problem(s). See docs/translating.md.`);
    process.exit(1);
  }
  const count = Object.values(catalogues.en).reduce((n, area) => n + Object.keys(area).length, 0);
  console.log(`i18n: ${LANGUAGE_REGISTRY.length} languages × ${count} messages, no problems.`);
}
