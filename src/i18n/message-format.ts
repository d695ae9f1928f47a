// The subset of ICU MessageFormat our catalogues use, parsed once per message:
//   {name}                          an argument (numbers formatted for the locale)
//   {name, number}                  the same, explicitly
//   {n, plural, =0 {…} one {…} few {…} many {…} other {…}}   with # for the number
//   {n, selectordinal, one {#st} …} ordinal plural rules
//   {kind, select, bus {…} other {…}}
// Apostrophes follow ICU: '' is one apostrophe; ' before { } (or # in a plural)
// quotes up to the next lone '; any other ' is literal (so "don't" needs nothing).
// Translation tools (Weblate, Crowdin, Pontoon) read and check this syntax.

export type Part =
  | string
  | { type: 'arg'; name: string }
  | { type: 'pound' }
  | { type: 'plural'; name: string; ordinal: boolean; offset: number; options: Record<string, Part[]> }
  | { type: 'select'; name: string; options: Record<string, Part[]> };

export type Params = Record<string, string | number>;

export class MessageSyntaxError extends Error {
  constructor(message: string, source: string, at: number) {
    super(`${message} at ${at} in "${source}"`);
  }
}

const NAME = /^[A-Za-z_][\w]*$/;

/** Parse `source` into parts; throws MessageSyntaxError on malformed input. */
export function parseMessage(source: string): Part[] {
  let i = 0;
  const fail = (why: string): never => {
    throw new MessageSyntaxError(why, source, i);
  };
  const skipSpace = () => {
    while (i < source.length && /\s/.test(source[i]!)) i++;
  };
  const word = () => {
    skipSpace();
    const start = i;
    while (i < source.length && /[^\s{},]/.test(source[i]!)) i++;
    return source.slice(start, i);
  };

  // Text and arguments until `}` (inside a branch) or the end (top level).
  function parts(inPlural: boolean, nested: boolean): Part[] {
    const out: Part[] = [];
    let text = '';
    const flush = () => {
      if (text) out.push(text);
      text = '';
    };
    while (i < source.length) {
      const c = source[i]!;
      if (c === "'") {
        const next = source[i + 1];
        if (next === "'") {
          text += "'";
          i += 2;
        } else if (next === '{' || next === '}' || (inPlural && next === '#')) {
          i++;
          while (i < source.length) {
            if (source[i] === "'" && source[i + 1] === "'") {
              text += "'";
              i += 2;
            } else if (source[i] === "'") {
              i++;
              break;
            } else text += source[i++];
          }
        } else {
          text += c;
          i++;
        }
      } else if (c === '{') {
        flush();
        out.push(argument());
      } else if (c === '}') {
        if (!nested) fail('unmatched }');
        break;
      } else if (c === '#' && inPlural) {
        flush();
        out.push({ type: 'pound' });
        i++;
      } else {
        text += c;
        i++;
      }
    }
    flush();
    return out;
  }

  function argument(): Part {
    i++; // {
    const name = word();
    if (!NAME.test(name)) fail(`bad argument name "${name}"`);
    skipSpace();
    if (source[i] === '}') {
      i++;
      return { type: 'arg', name };
    }
    if (source[i] !== ',') fail('expected , or }');
    i++;
    const kind = word();
    skipSpace();
    if (kind === 'number') {
      if (source[i] !== '}') fail('number styles are not supported');
      i++;
      return { type: 'arg', name };
    }
    if (kind !== 'plural' && kind !== 'selectordinal' && kind !== 'select') fail(`unknown type "${kind}"`);
    if (source[i] !== ',') fail('expected , after the type');
    i++;
    let offset = 0;
    const options: Record<string, Part[]> = {};
    for (;;) {
      skipSpace();
      if (source[i] === '}') {
        i++;
        break;
      }
      const key = word();
      if (!key) fail('expected an option');
      if (key.startsWith('offset:') && kind !== 'select') {
        offset = Number(key.slice('offset:'.length));
        if (!Number.isInteger(offset)) fail('bad offset');
        continue;
      }
      skipSpace();
      if (source[i] !== '{') fail(`expected { after "${key}"`);
      if (key in options) fail(`option "${key}" twice`);
      i++;
      options[key] = parts(kind !== 'select', true);
      if (source[i] !== '}') fail('unclosed option');
      i++;
    }
    if (!options.other) fail(`"${name}" has no "other" option`);
    return kind === 'select'
      ? { type: 'select', name, options }
      : { type: 'plural', name, ordinal: kind === 'selectordinal', offset, options };
  }

  const result = parts(false, false);
  if (i < source.length) fail('unexpected }');
  return result;
}

export type Formatter = {
  number(n: number): string;
  plural(n: number, ordinal: boolean): Intl.LDMLPluralRule;
};

/** Format parsed parts. A missing argument shows as {name}, so it is seen, never blank. */
export function formatParts(parts: Part[], params: Params, f: Formatter, pound?: number): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') out += p;
    else if (p.type === 'pound') out += pound === undefined ? '#' : f.number(pound);
    else if (p.type === 'arg') {
      const v = params[p.name];
      out += v === undefined ? `{${p.name}}` : typeof v === 'number' ? f.number(v) : v;
    } else if (p.type === 'select') {
      const v = params[p.name];
      out += formatParts(p.options[String(v)] ?? p.options.other!, params, f, pound);
    } else {
      const raw = params[p.name];
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (raw === undefined || Number.isNaN(n)) {
        out += formatParts(p.options.other!, params, f, undefined);
        continue;
      }
      const branch = p.options[`=${n}`] ?? p.options[f.plural(n - p.offset, p.ordinal)] ?? p.options.other!;
      out += formatParts(branch, params, f, n - p.offset);
    }
  }
  return out;
}

/** The argument names a message uses, and for each plural argument its categories. */
export function describeMessage(parts: Part[]): {
  args: Set<string>;
  plurals: { name: string; ordinal: boolean; categories: string[] }[];
} {
  const args = new Set<string>();
  const plurals: { name: string; ordinal: boolean; categories: string[] }[] = [];
  const walk = (ps: Part[]) => {
    for (const p of ps) {
      if (typeof p === 'string' || p.type === 'pound') continue;
      args.add(p.name);
      if (p.type === 'arg') continue;
      if (p.type === 'plural')
        plurals.push({
          name: p.name,
          ordinal: p.ordinal,
          categories: Object.keys(p.options).filter((k) => !k.startsWith('=')),
        });
      for (const branch of Object.values(p.options)) walk(branch);
    }
  };
  walk(parts);
  return { args, plurals };
}

/** Parts back to ICU source (tools that rewrite catalogues: pseudo-locales, category expansion). */
export function printMessage(parts: Part[], inPlural = false): string {
  return parts
    .map((p) => {
      if (typeof p === 'string')
        return p.replace(/'/g, "''").replace(inPlural ? /[{}#]+/g : /[{}]+/g, (special) => `'${special}'`);
      if (p.type === 'pound') return '#';
      if (p.type === 'arg') return `{${p.name}}`;
      const head =
        p.type === 'select'
          ? `${p.name}, select,`
          : `${p.name}, ${p.ordinal ? 'selectordinal' : 'plural'},${p.offset ? ` offset:${p.offset}` : ''}`;
      const branches = Object.entries(p.options).map(
        ([key, branch]) => `${key} {${printMessage(branch, p.type === 'plural' || inPlural)}}`,
      );
      return `{${head} ${branches.join(' ')}}`;
    })
    .join('');
}
