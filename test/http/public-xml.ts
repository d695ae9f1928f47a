// A strict well-formedness check for the Atom feed (no XML parser is a dependency):
// one root, every tag closed in order, attributes quoted, only the five named
// entities or numeric references, no stray "<" or "&".
import { expect } from 'vitest';

export function assertWellFormedXml(doc: string): void {
  let s = doc.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const name = '[A-Za-z_][\\w.:-]*';
  const attr = `\\s+${name}\\s*=\\s*("[^"<]*"|'[^'<]*')`;
  const anyAttr = `\\s+${name}\\s*=\\s*(?:"[^"<]*"|'[^'<]*')`;
  const open = new RegExp(`^<(${name})((?:${anyAttr})*)\\s*(/?)>`);
  const close = new RegExp(`^</(${name})\\s*>`);
  const checkText = (text: string) => {
    expect(text, 'stray < in text').not.toMatch(/</);
    for (const m of text.matchAll(/&([^;\s]*);?/g)) {
      expect(m[0], 'bad entity').toMatch(/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/);
    }
  };
  while (s.length > 0) {
    const lt = s.indexOf('<');
    if (lt === -1) {
      expect(s.trim(), 'text after the root').toBe('');
      break;
    }
    const text = s.slice(0, lt);
    if (stack.length === 0) expect(text.trim(), 'text outside the root').toBe('');
    checkText(text);
    s = s.slice(lt);
    const c = s.match(close);
    if (c) {
      expect(stack.pop(), `unexpected </${c[1]}>`).toBe(c[1]);
      s = s.slice(c[0].length);
      continue;
    }
    const o = s.match(open);
    expect(o, `malformed tag near: ${s.slice(0, 60)}`).not.toBeNull();
    for (const a of o![2]!.matchAll(new RegExp(attr, 'g'))) checkText(a[1]!.slice(1, -1));
    if (stack.length === 0) roots++;
    if (o![3] !== '/') stack.push(o![1]!);
    s = s.slice(o![0].length);
  }
  expect(stack, 'unclosed elements').toEqual([]);
  expect(roots, 'exactly one root element').toBe(1);
}
