// Every language's catalogues. The typecheck asks for one entry per language of
// the registry (src/i18n/languages.ts).
import type { LanguageCatalogue } from '../catalogue.ts';
import type { Lang } from '../languages.ts';
import en from './en/index.ts';
import kk from './kk/index.ts';
import ru from './ru/index.ts';

export const catalogues: Record<Lang, LanguageCatalogue> = { kk, ru, en };
