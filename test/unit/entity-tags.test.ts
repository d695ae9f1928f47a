// Entity-tag comparison (RFC 9110 §8.8.3.2) for If-Match and If-None-Match: the shortcut for
// a field holding just the tag must answer as the full list parse does, for any field a
// client may send (lists, weak tags, *, junk between them).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesEntityTag } from '../../src/public/http.ts';

/** The comparison by the list alone, as it was before the shortcut. */
function byList(field: string, etag: string, strong: boolean): boolean {
  for (const [tag, weak] of field.matchAll(/(W\/)?"[^"]*"|\*/g)) {
    if (tag === '*') return true;
    if (strong && weak) continue;
    if ((weak ? tag.slice(2) : tag) === etag) return true;
  }
  return false;
}

const opaque = fc.stringMatching(/^[A-Za-z0-9_-]{0,8}$/);
const strongTag = opaque.map((o) => `"${o}"`);
const anyTag = fc.oneof(
  strongTag,
  strongTag.map((t) => `W/${t}`),
  fc.constant('*'),
);
const separator = fc.constantFrom(', ', ',', ' , ', ' ');

describe('entity-tag comparison', () => {
  it('answers as the list parse for any field, in weak and strong comparison', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyTag,
          fc.array(anyTag, { maxLength: 4 }).chain((tags) => separator.map((s) => tags.join(s))),
        ),
        strongTag, // the app's own tags are all strong (src/public/rendition.ts)
        fc.boolean(),
        (field, etag, strong) => {
          expect(matchesEntityTag(field, etag, strong)).toBe(byList(field, etag, strong));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('matches the tag sent back alone, and its weak form only in weak comparison', () => {
    expect(matchesEntityTag('"abc"', '"abc"', true)).toBe(true);
    expect(matchesEntityTag('W/"abc"', '"abc"', false)).toBe(true);
    expect(matchesEntityTag('W/"abc"', '"abc"', true)).toBe(false);
    expect(matchesEntityTag('W/"abc"', 'W/"abc"', true)).toBe(false);
    expect(matchesEntityTag('"abd"', '"abc"', false)).toBe(false);
  });
});
