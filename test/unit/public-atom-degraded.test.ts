// The feed served from the last good copy while the database is away: its subtitle says
// so in the reader's words, dated as the page's banner is — not with an ISO instant in the
// sentence (src/presenters/public-as-of.ts, degradedLine).
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/i18n/index.ts';
import { statusAtom } from '../../src/presenters/public-atom.ts';
import { presentStatusPage } from '../../src/presenters/status-page.ts';
import { largeProjection } from '../support/large-projection.ts';

const projection = largeProjection(1, 2);
const at = new Date('2026-03-04T16:00:00Z'); // 21:00 in Almaty

describe("the feed's subtitle when the figures could not be refreshed", () => {
  it('dates the last good copy in words, as the page does, in every language', () => {
    for (const lang of LANGUAGES) {
      const feed = statusAtom(projection, lang, {
        baseUrl: 'http://corridor.test',
        tagAuthority: 'corridor.test,2026',
        degradedAsOf: at,
      });
      const subtitle = /<subtitle type="text">([^<]*)<\/subtitle>/.exec(feed)![1]!;
      expect(subtitle, lang).not.toContain('2026-03-04T');
      expect(subtitle, lang).toContain('21:00');
      const banner = presentStatusPage(projection, lang, { degradedAsOf: at }).degraded!.text;
      expect(subtitle, lang).toBe(banner.replaceAll('&', '&amp;').replaceAll('<', '&lt;'));
    }
  });
});
