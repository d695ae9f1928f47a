// The public pages' size at crisis scale: one operation of 50 routes × 100 movements
// (5,000), rendered as the cache renders it. The page stays under 100 KB gzip
// (routes one line each, a few rows per card, the timeline's start only); each
// route's page has its movements a page at a time; places without coordinates
// still render on the map.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/i18n/index.ts';
import { publicPageFormats, publicRenderer } from '../../src/public/render.ts';
import { createRenderer } from '../../src/views.ts';
import { largeProjection } from '../support/large-projection.ts';

const render = publicRenderer({ renderer: createRenderer(), baseUrl: 'http://corridor.test' });
const projection = largeProjection(50, 100);
const gz = (s: string) => gzipSync(Buffer.from(s), { level: 9 }).length;

describe('public pages at 5,000 movements', () => {
  it('the status page is under 100 KB gzip in every language, with no script', () => {
    for (const lang of LANGUAGES) {
      const { body } = render(projection, lang, 'html', {});
      expect(gz(body), lang).toBeLessThan(100_000);
      expect(body).not.toMatch(/<script/i);
      // Every route is a one-line card; the map names every route in its text alternative.
      expect(body.match(/<details class="route/g)!.length).toBe(50);
    }
  });

  it('each route has its pages, each under 100 KB gzip, linked to one another', () => {
    const formats = publicPageFormats(projection);
    expect(formats.filter((f) => f.startsWith('routes/route-0'))).toEqual(['routes/route-0']);
    const { body } = render(projection, 'ru', 'routes/route-7', {});
    expect(gz(body)).toBeLessThan(100_000);
    expect(body.match(/<tr id="movement-/g)!.length).toBe(100);
    const timeline = formats.filter((f) => f.startsWith('timeline'));
    expect(timeline.length).toBeGreaterThan(1);
    const last = render(projection, 'kk', timeline.at(-1)!, {}).body;
    expect(last).toContain('rel="prev"');
    expect(last).not.toContain('rel="next"');
  });
});
