// The ru catalogues, by area. A key belongs to exactly one area (the catalogue check says so).
import type { LanguageCatalogue } from '../../catalogue.ts';
import csv from './csv.ts';
import digest from './digest.ts';
import ops from './ops.ts';
import page from './page.ts';
import publicText from './public.ts';
import staff from './staff.ts';
import story from './story.ts';
import subscribe from './subscribe.ts';
import times from './times.ts';
import validation from './validation.ts';
import workspace from './workspace.ts';

export default {
  public: publicText,
  page,
  story,
  subscribe,
  digest,
  staff,
  workspace,
  ops,
  csv,
  validation,
  times,
} satisfies LanguageCatalogue;
