// Entity-tag comparison (RFC 9110 §8.8.3.2) for If-Match and If-None-Match: the shortcut for
// a field holding just the tag must answer as the full list parse does, for any field a
// client may send (lists, weak tags, *), and a field that is not "*" or an entity-tag list
// is no answer at all (undefined: the caller ignores it), wherever a tag sits inside it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesEntityTag } from '../../src/public/http.ts';

/** The comparison by the list alone, written out by the grammar (RFC 9110 §8.8.3, §5.6.1). */
function byList(field: string, etag: string, strong: boolean): boolean | undefined {
  const trimmed = field.replace(/^[ \t]+|[ \t]+$/g, '');
  if (trimmed === '*') return true;
  const elements = [];
  let rest = trimmed;
  while (rest !== '') {
    const m = /^(W\/)?("[^"]*")/.exec(rest);
    if (m) {
      if (![...m[2]!].every((c) => c === '!' || (c >= '#' && c <= '~') || c === '"' || c >= '\u0080'))
        return undefined;
      elements.push({ weak: m[1] !== undefined, tag: m[2]! });
      rest = rest.slice(m[0].length).replace(/^[ \t]+/, '');
    } else if (!rest.startsWith(',')) return undefined;
    if (rest.startsWith(',')) rest = rest.slice(1).replace(/^[ \t]+/, '');
    else if (rest !== '' && m) return undefined;
  }
  return elements.some(({ weak, tag }) => !(strong && weak) && tag === etag);
}

const opaque = fc.stringMatching(/^[A-Za-z0-9_-]{0,8}$/);
const strongTag = opaque.map((o) => `"${o}"`);
const anyTag = fc.oneof(
  strongTag,
  strongTag.map((t) => `W/${t}`),
);
const separator = fc.constantFrom(', ', ',', ' , ', ',,', ', ,');
/** What a field may carry beside its tags: junk, or "*" where only a list may be. */
const junk = fc.constantFrom(' ', 'x', '*', 'W/', '"', 'w/"a"', ';', '"a"b', '\u0000', '"é"');

describe('entity-tag comparison', () => {
  it('answers as the list parse for any field, in weak and strong comparison (property)', () => {
    const list = fc.array(anyTag, { maxLength: 4 }).chain((tags) => separator.map((s) => tags.join(s)));
    const withJunk = fc
      .tuple(list, junk, fc.nat(40))
      .map(
        ([field, j, at]) =>
          field.slice(0, at % (field.length + 1)) + j + field.slice(at % (field.length + 1)),
      );
    fc.assert(
      fc.property(
        fc.oneof(anyTag, list, withJunk, fc.constantFrom('*', ' * ', '')),
        strongTag, // the app's own tags are all strong (src/public/rendition.ts)
        fc.boolean(),
        (field, etag, strong) => {
          expect(matchesEntityTag(field, etag, strong), field).toBe(byList(field, etag, strong));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('ignores a field that is not an entity-tag list, even around the right tag', () => {
    for (const garbage of [
      'x"abc"',
      '"abc"x',
      '"abc" junk',
      '"abc" "abd"',
      '*, "abc"',
      '"abc", *',
      'abc',
      'W/ "abc"',
    ])
      for (const strong of [true, false])
        expect(matchesEntityTag(garbage, '"abc"', strong), garbage).toBeUndefined();
    expect(matchesEntityTag(' "abd" , , W/"abc" ', '"abc"', false)).toBe(true);
    expect(matchesEntityTag('"a,b", "abc"', '"abc"', true)).toBe(true); // a comma inside a tag is the tag's
    expect(matchesEntityTag('', '"abc"', false)).toBe(false);
    expect(matchesEntityTag(' * ', '"abc"', true)).toBe(true);
  });

  it('matches the tag sent back alone, and its weak form only in weak comparison', () => {
    expect(matchesEntityTag('"abc"', '"abc"', true)).toBe(true);
    expect(matchesEntityTag('W/"abc"', '"abc"', false)).toBe(true);
    expect(matchesEntityTag('W/"abc"', '"abc"', true)).toBe(false);
    expect(matchesEntityTag('W/"abc"', 'W/"abc"', true)).toBe(false);
    expect(matchesEntityTag('"abd"', '"abc"', false)).toBe(false);
  });
});
