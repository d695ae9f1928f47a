// Lint rules CI enforces (formatting is prettier's job), including the architecture
// (docs/architecture.md, "Enforced rules"):
// - one clock: `new Date()` and `Date.now()` only in src/clock.ts (tests and benchmarks may);
// - no `localeCompare` without a locale in src/ (src/compare.ts);
// - layers: routes → domain → store. Routes never import the store; presenters never
//   import the store or routes; the domain never imports routes or presenters; the
//   store never imports routes, presenters or the domain's use cases.
//   Type-only imports are allowed (they vanish when compiled), except into the domain
//   from routes/presenters;
// - type-checked (typescript-eslint's recommendedTypeChecked, through the project
//   service, so every file is read with the tsconfig.json that includes it): no floating
//   promise, no promise where a callback returning void is expected, no `any` flowing
//   into typed code (no-unsafe-*), no needless assertion, no async without await.
//   Plain JavaScript files (this one, scripts/*.mjs, bench/*.mjs) are not type-checked.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NOW_SELECTORS = [
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'Read the time from the injected clock (deps.clock.now(); src/clock.ts), not new Date().',
  },
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'Use the injected clock, or monotonicMs() from src/clock.ts for a duration.',
  },
];

// `localeCompare` without a locale loads ICU's root collator (~2.6 MB of node's pages for the
// process's life) and sorts by no reader's language (src/compare.ts).
const COLLATION_SELECTORS = [
  {
    selector: "CallExpression[callee.property.name='localeCompare'][arguments.length<2]",
    message:
      "Sort codes, ids and ISO dates with byCodeUnits (src/compare.ts); words with the reader's locale.",
  },
];

/** Imports a layer may not make: globs relative to any file (matched on the import path). */
const forbid = (...groups) => ({
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      patterns: groups.map(([group, message]) => ({ group, message, allowTypeImports: true })),
    },
  ],
});
const STORE = ['**/store/*', '**/store/**'];
const PRESENTERS = ['**/presenters/*', '**/presenters/**'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'data/',
      'outbox/',
      'db/migrations/',
      'coverage/',
      'test-results/',
      'backups/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/clock.ts'],
    rules: { 'no-restricted-syntax': ['error', ...NOW_SELECTORS, ...COLLATION_SELECTORS] },
  },
  {
    files: ['src/routes/**/*.ts'],
    rules: forbid([
      STORE,
      'Routes call the domain; only the domain reaches the store (docs/architecture.md).',
    ]),
  },
  {
    files: ['src/presenters/**/*.ts'],
    rules: forbid(
      [STORE, 'Presenters format what they are given; they never read the store.'],
      [['**/routes/*', '**/routes/**'], 'Presenters do not depend on routes.'],
    ),
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: forbid(
      [['**/routes/*', '**/routes/**'], 'The domain never imports routes.'],
      [PRESENTERS, 'The domain never imports presenters; return data and let a presenter format it.'],
    ),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: forbid(
      [['**/routes/*', '**/routes/**'], 'The store never imports routes.'],
      [PRESENTERS, 'The store never imports presenters.'],
    ),
  },
);
