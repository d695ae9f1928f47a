// The digest's presenter, without a database: the inbox preview line saying what the
// body says.
import { describe, expect, it } from 'vitest';
import type { DigestContent } from '../../src/domain/digest/content.ts';
import { t } from '../../src/i18n/index.ts';
import { presentDigest } from '../../src/presenters/digest.ts';

const LANGS = ['kk', 'ru', 'en'] as const;
const notReported = { kind: 'not_reported' } as const;
const figures = { registered: notReported, departed: notReported, arrived: notReported };

function content(over: Partial<DigestContent> = {}): DigestContent {
  return {
    audience: 'public',
    operation: {
      id: 1,
      slug: 'op',
      names: { kk: 'Операция', ru: 'Операция', en: 'Operation' },
      timeZone: 'Asia/Almaty',
      staleAfterHours: 12,
      workingLanguage: 'ru',
    },
    day: '2026-03-05',
    nextDay: '2026-03-06',
    generatedAt: '2026-03-05T15:00:00.000Z',
    lastUpdatedAt: '2026-03-05T15:00:00.000Z',
    previous: null,
    arrivedOnDay: notReported,
    arrivedUndated: null,
    totals: { ...figures, arrived: { kind: 'at_least', value: 306 }, onTheWay: notReported },
    departed: [],
    arrived: [],
    cancelled: [],
    scheduledNextDay: [],
    routes: [],
    groups: [],
    notices: [],
    ...over,
  };
}

const links = { statusUrl: 'http://corridor.test/', unsubscribeUrl: 'http://corridor.test/u/x' };

describe('the inbox preview line (preheader)', () => {
  it.each(LANGS)('%s: an arrival day not recorded is said as the summary says it', (lang) => {
    const model = presentDigest(content(), lang, links);
    const words = t(lang, 'digest.arrival_day_not_recorded');
    expect(model.summary[0]!.value).toBe(words);
    expect(model.preheader).toContain(words);
    expect(model.preheader).not.toContain(t(lang, 'figure.not_reported'));
  });

  it.each(LANGS)('%s: a reported figure is the same number in both', (lang) => {
    const model = presentDigest(content({ arrivedOnDay: { kind: 'value', value: 40 } }), lang, links);
    expect(model.summary[0]!.value).toBe('40');
    expect(model.preheader).toContain(`: 40.`);
  });
});
