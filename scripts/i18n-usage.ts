// Which message keys the code and the templates use, found by reading them:
// string literals that are keys, template literals (`stage.${s}`) as patterns,
// {{t "key" name=…}} in templates, and the arguments a t() call passes.
// Reports keys no code uses, keys or patterns the catalogue lacks, and t()
// calls whose literal arguments differ from the message's {placeholders}.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { type Problem, argumentsOf } from '../src/i18n/check.ts';

function walk(dir: string, ext: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'catalogues' || e.name === 'node_modules' ? [] : walk(full, ext);
    return e.name.endsWith(ext) ? [full] : [];
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Usage = { exact: Set<string>; patterns: { regex: RegExp; text: string; where: string; inT: boolean }[] };

/** `messages`: English key → ICU source. `root`: the repository. */
export function checkUsage(messages: Map<string, string>, root: string): Problem[] {
  const problems: Problem[] = [];
  const used: Usage = { exact: new Set(), patterns: [] };
  const params = (key: string, given: string[] | null, where: string) => {
    const source = messages.get(key);
    if (source === undefined) {
      problems.push({ kind: 'unknown_key', key, detail: `used at ${where}, not in the catalogue` });
      return;
    }
    if (given === null) return; // arguments not written out here: cannot tell
    const wanted = argumentsOf(source);
    const missing = [...wanted].filter((a) => !given.includes(a));
    const extra = given.filter((a) => !wanted.has(a));
    if (missing.length || extra.length)
      problems.push({
        kind: 'params',
        key,
        detail:
          `at ${where}` +
          (missing.length ? `: missing {${missing.join(', ')}}` : '') +
          (extra.length ? `: not in the message {${extra.join(', ')}}` : ''),
      });
  };

  for (const file of walk(path.join(root, 'src'), '.ts').concat(walk(path.join(root, 'db'), '.ts'))) {
    const text = fs.readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const rel = path.relative(root, file);
    const visit = (node: ts.Node) => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        if (messages.has(node.text)) used.exact.add(node.text);
      } else if (ts.isTemplateExpression(node)) {
        let source = `^${escape(node.head.text)}`;
        let shown = node.head.text;
        for (const span of node.templateSpans) {
          source += `[\\w.]+${escape(span.literal.text)}`;
          shown += `\${…}${span.literal.text}`;
        }
        const call = node.parent;
        const inT =
          ts.isCallExpression(call) &&
          ts.isIdentifier(call.expression) &&
          call.expression.text === 't' &&
          call.arguments[1] === node;
        const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
        used.patterns.push({
          regex: new RegExp(`${source}$`),
          text: shown,
          where: `${rel}:${line + 1}`,
          inT,
        });
      } else if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 't' &&
        node.arguments.length >= 2
      ) {
        const [, key, vars] = node.arguments;
        if (key && ts.isStringLiteral(key)) {
          const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
          const given =
            vars === undefined
              ? []
              : ts.isObjectLiteralExpression(vars) &&
                  vars.properties.every(
                    (p) => ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p),
                  )
                ? vars.properties.map((p) => (p.name as ts.Identifier).text)
                : null;
          params(key.text, given, `${rel}:${line + 1}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  for (const file of walk(path.join(root, 'views'), '.hbs')) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(root, file);
    for (const m of text.matchAll(/\{\{t\s+"([^"]+)"([^}]*)\}\}/g)) {
      const line = text.slice(0, m.index).split('\n').length;
      used.exact.add(m[1]!);
      const given = [...m[2]!.matchAll(/(\w+)=/g)].map((x) => x[1]!);
      params(m[1]!, given, `${rel}:${line}`);
    }
  }

  const keys = [...messages.keys()];
  for (const p of used.patterns) {
    const matches = keys.filter((k) => p.regex.test(k));
    matches.forEach((k) => used.exact.add(k));
    if (p.inT && matches.length === 0)
      problems.push({ kind: 'unknown_key', key: p.text, detail: `pattern at ${p.where} matches no key` });
  }
  for (const key of keys)
    if (!used.exact.has(key))
      problems.push({ kind: 'unused', key, detail: 'no code or template uses it (remove it, or use it)' });
  return problems;
}
