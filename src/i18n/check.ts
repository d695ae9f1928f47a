// The catalogue check: what a translator or a reviewer needs to know before a
// catalogue ships. It compares every language with the English source and
// knows nothing of the code; scripts/i18n-usage.ts adds what the code uses.
// Run by `npm run i18n:check` and by test/unit/i18n-catalogues.test.ts (CI).
import { describeMessage, parseMessage } from './message-format.ts';

export type Problem = {
  kind:
    | 'missing'
    | 'extra'
    | 'duplicate'
    | 'syntax'
    | 'placeholders'
    | 'plural_categories'
    | 'empty'
    | 'unused'
    | 'unknown_key'
    | 'params';
  lang?: string;
  key: string;
  detail: string;
};

/** What the check needs: the languages (code + locale) and their catalogues by area. */
export type CheckInput = {
  languages: readonly { code: string; locale: string }[];
  source: string;
  catalogues: Record<string, Record<string, Readonly<Record<string, string>>>>;
};

const sorted = (s: Iterable<string>) => [...s].sort().join(', ') || '(none)';

function parse(
  source: string,
  lang: string,
  key: string,
  problems: Problem[],
): ReturnType<typeof describeMessage> | null {
  try {
    return describeMessage(parseMessage(source));
  } catch (err) {
    problems.push({ kind: 'syntax', lang, key, detail: (err as Error).message });
    return null;
  }
}

export function checkCatalogues(input: CheckInput): Problem[] {
  const problems: Problem[] = [];
  const flat = new Map<string, Map<string, string>>();
  for (const { code } of input.languages) {
    const areas = input.catalogues[code] ?? {};
    const messages = new Map<string, string>();
    const areaOf = new Map<string, string>();
    for (const [area, entries] of Object.entries(areas))
      for (const [key, value] of Object.entries(entries)) {
        const first = areaOf.get(key);
        if (first) problems.push({ kind: 'duplicate', lang: code, key, detail: `in ${first} and ${area}` });
        areaOf.set(key, area);
        messages.set(key, value);
      }
    flat.set(code, messages);
  }
  const source = flat.get(input.source) ?? new Map<string, string>();
  const sourceShapes = new Map<string, ReturnType<typeof describeMessage>>();
  for (const [key, text] of source) {
    const shape = parse(text, input.source, key, problems);
    if (shape) sourceShapes.set(key, shape);
  }
  for (const { code, locale } of input.languages) {
    const messages = flat.get(code)!;
    const cardinal = new Intl.PluralRules(locale).resolvedOptions().pluralCategories as string[];
    const ordinal = new Intl.PluralRules(locale, { type: 'ordinal' }).resolvedOptions()
      .pluralCategories as string[];
    for (const key of source.keys())
      if (!messages.has(key)) problems.push({ kind: 'missing', lang: code, key, detail: 'no translation' });
    for (const [key, text] of messages) {
      if (!source.has(key)) {
        problems.push({ kind: 'extra', lang: code, key, detail: `not in the ${input.source} catalogue` });
        continue;
      }
      if (!text.trim()) problems.push({ kind: 'empty', lang: code, key, detail: 'empty message' });
      const shape = code === input.source ? sourceShapes.get(key) : parse(text, code, key, problems);
      const want = sourceShapes.get(key);
      if (!shape || !want) continue;
      if (sorted(shape.args) !== sorted(want.args))
        problems.push({
          kind: 'placeholders',
          lang: code,
          key,
          detail: `uses {${sorted(shape.args)}}, the ${input.source} text uses {${sorted(want.args)}}`,
        });
      for (const plural of shape.plurals) {
        const needed = plural.ordinal ? ordinal : cardinal;
        const missing = needed.filter((c) => !plural.categories.includes(c));
        const foreign = plural.categories.filter((c) => !needed.includes(c));
        if (missing.length || foreign.length)
          problems.push({
            kind: 'plural_categories',
            lang: code,
            key,
            detail:
              `{${plural.name}} needs ${needed.join(', ')} in ${locale}` +
              (missing.length ? `; missing ${missing.join(', ')}` : '') +
              (foreign.length ? `; ${foreign.join(', ')} never chosen` : ''),
          });
      }
    }
  }
  return problems;
}

/** The message's argument names, parsed from its ICU source (for the usage check). */
export function argumentsOf(source: string): Set<string> {
  return describeMessage(parseMessage(source)).args;
}

export function formatProblems(problems: Problem[]): string {
  return problems
    .map((p) => `${p.kind.padEnd(17)} ${p.lang ? `[${p.lang}] ` : ''}${p.key}: ${p.detail}`)
    .join('\n');
}
