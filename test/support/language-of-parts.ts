// Finds visible text that is not in the language its element says it is in: Latin-script
// words on a Kazakh or Russian output, Cyrillic on an English one. Reads HTML, Atom
// (xml:lang, XHTML text constructs) and the digest's HTML the same way: a small tokenizer
// that keeps the element stack and each element's language (lang or xml:lang, inherited).
// Text inside an element whose language is another one is exempt (it is marked), as are
// the proper names of ALLOWED_NAMES. Script and style contents, comments and attribute
// values other than the visible ones (alt, title, aria-label, placeholder) are not text.
import type { Lang } from '../../src/i18n/index.ts';

/** Proper names written in Latin script whatever the language (keep this list short). */
export const ALLOWED_NAMES = [
  'FlyDubai',
  'Zakon.kz',
  'Natural Earth',
  'Corridor',
  'CSV',
  'JSON',
  'API v1',
  'Atom',
  'HXL',
  'UTC',
  // The zone offset as Intl writes it in Russian and Kazakh ("21:25 GMT+5").
  'GMT',
];

export type Stray = { text: string; word: string; lang: string };

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
const VISIBLE_ATTRIBUTES = ['alt', 'title', 'aria-label', 'placeholder'];

const decode = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** Every run of visible text with the language it is declared in. */
export function textRuns(doc: string, rootLang: string): { text: string; lang: string }[] {
  const runs: { text: string; lang: string }[] = [];
  const stack: { name: string; lang: string }[] = [];
  const current = () => stack[stack.length - 1]?.lang ?? rootLang;
  const body = doc
    .replace(/<!--[\s\S]*?-->|<![A-Za-z][^>]*>|<\?[\s\S]*?\?>/g, '')
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(\/?)>/g;
  let at = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    if (m.index > at) runs.push({ text: decode(body.slice(at, m.index)), lang: current() });
    at = tag.lastIndex;
    const [, closing, rawName, attrs, selfClosing] = m;
    const name = rawName!.toLowerCase();
    if (closing) {
      const i = stack.map((e) => e.name).lastIndexOf(name);
      if (i >= 0) stack.length = i;
      continue;
    }
    const attr = (a: string) =>
      new RegExp(`\\s${a}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i')
        .exec(attrs ?? '')
        ?.slice(2)
        .find((v) => v !== undefined);
    const lang = attr('xml:lang') ?? attr('lang') ?? current();
    for (const a of VISIBLE_ATTRIBUTES) {
      const v = attr(a);
      if (v) runs.push({ text: decode(v), lang });
    }
    if (name === 'script' || name === 'style') {
      const end = body.indexOf(`</${name}`, at);
      at = end < 0 ? body.length : end;
      continue;
    }
    if (!selfClosing && !VOID.has(name)) stack.push({ name, lang });
  }
  if (at < body.length) runs.push({ text: decode(body.slice(at)), lang: current() });
  return runs.filter((r) => r.text.trim() !== '');
}

const LATIN_WORD = /[\p{Script=Latin}][\p{Script=Latin}\d.'’-]*/gu;
const CYRILLIC_WORD = /[\p{Script=Cyrillic}][\p{Script=Cyrillic}\d'’-]*/gu;
/** Identifiers, not words: addresses and IANA time-zone ids ("Asia/Almaty"). */
const URL =
  /\b(?:https?:\/\/|mailto:|tag:)\S+|\b(?:Africa|America|Asia|Atlantic|Australia|Europe|Indian|Pacific)\/[A-Za-z_]+/g;

/** Words in the wrong script for `lang`, outside elements marked with another language. */
export function strayWords(doc: string, lang: Lang): Stray[] {
  const wrong = lang === 'en' ? CYRILLIC_WORD : LATIN_WORD;
  const out: Stray[] = [];
  for (const run of textRuns(doc, lang)) {
    if (run.lang.toLowerCase().split('-')[0] !== lang) continue;
    let text = run.text.replace(URL, ' ');
    for (const name of ALLOWED_NAMES) text = text.split(name).join(' ');
    for (const word of text.match(wrong) ?? []) out.push({ text: run.text.trim().slice(0, 120), word, lang });
  }
  return out;
}
