// The feed at crisis scale: an operation of 300 movements has several hundred public
// events, and the feed carries the newest 100 (src/presenters/public-atom.ts), made into
// entries only once chosen. Checked here: exactly 100, newest first (ties by id), none
// newer than the oldest kept left out, and the same entries in every language.
import { describe, expect, it } from 'vitest';
import { operationTimeline } from '../../src/domain/public-timeline.ts';
import { LANGUAGES } from '../../src/i18n/index.ts';
import { statusAtom, tagUri } from '../../src/presenters/public-atom.ts';
import { largeProjection } from '../support/large-projection.ts';

const AUTHORITY = 'corridor.test,2026';
const projection = largeProjection(10, 30);

const entries = (feed: string) =>
  [...feed.matchAll(/<entry[^>]*>\s*<id>([^<]+)<\/id>[\s\S]*?<updated>([^<]+)<\/updated>/g)].map((m) => ({
    id: m[1]!,
    updated: Date.parse(m[2]!),
  }));

describe('the feed keeps the newest 100 entries', () => {
  it('newest first, none newer than the oldest kept left out, the same in every language', () => {
    const feeds = LANGUAGES.map((lang) =>
      entries(statusAtom(projection, lang, { baseUrl: 'http://corridor.test', tagAuthority: AUTHORITY })),
    );
    const [kept] = feeds as [ReturnType<typeof entries>];
    const op = projection.operations[0]!;
    const events = operationTimeline(op);
    expect(events.length).toBeGreaterThan(200);
    expect(kept).toHaveLength(100);
    for (let i = 1; i < kept.length; i++) {
      const [a, b] = [kept[i - 1]!, kept[i]!];
      expect(a.updated > b.updated || (a.updated === b.updated && a.id < b.id)).toBe(true);
    }
    // A departure is news when its publication delay ends (as the feed dates it).
    const newsAt = (e: (typeof events)[number]) =>
      e.at.getTime() + (e.kind === 'departed' ? op.publicationDelayMinutes * 60_000 : 0);
    const oldestKept = kept.at(-1)!.updated;
    const ids = new Set(kept.map((e) => e.id));
    for (const e of events) if (newsAt(e) > oldestKept) expect(ids.has(tagUri(AUTHORITY, e.id))).toBe(true);
    for (const other of feeds) expect(other.map((e) => e.id)).toEqual(kept.map((e) => e.id));
  });
});
