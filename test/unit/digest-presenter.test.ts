// The digest's presenter, without a database: the "Sources" line written as the status
// page writes a source (no empty title after a dangling colon: the desk's own record has
// its title in English only), and the inbox preview line saying what the body says.
import { describe, expect, it } from 'vitest';
import type { DigestContent, SourceLine } from '../../src/domain/digest/content.ts';
import { t } from '../../src/i18n/index.ts';
import { presentDigest } from '../../src/presenters/digest.ts';
import { formatDay } from '../../src/presenters/format.ts';
import { sourceLine } from '../../src/presenters/public-routes.ts';

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

/** The desk's own record as the count editor makes it: the authority per language, a title in English only. */
const desk: SourceLine = {
  outlet: 'Ministry of Foreign Affairs, Consular Service',
  outlets: {
    en: 'Ministry of Foreign Affairs, Consular Service',
    ru: 'Министерство иностранных дел, консульская служба',
    kk: 'Сыртқы істер министрлігі, консулдық қызмет',
  },
  title: 'Desk record — Dana Officer',
  titles: {},
  language: 'en',
  publishedOn: '2026-03-05',
  url: null,
};

describe('the digest’s sources', () => {
  it.each(LANGS)('%s: the desk’s record as the status page writes it, its title never empty', (lang) => {
    const [line] = presentDigest(content({ sources: [desk] }), lang, links).sources;
    const page = sourceLine(lang, { ...desk, outlets: desk.outlets!, titles: {}, language: 'en' }, ['ru']);
    expect(line).toMatchObject({ outlet: page.outlet, title: page.title, date: page.date });
    expect(line!.title!.text).toBe('Desk record — Dana Officer');
    // In English as published: marked for a kk or ru reader, as on the page.
    expect(Boolean(line!.title!.mark)).toBe(lang !== 'en');
    expect(line!.date).toBe(formatDay(lang, '2026-03-05'));
    expect(line!.plain.startsWith(`${page.outlet.text}, ${page.date} — `)).toBe(true);
    expect(line!.plain).not.toMatch(/:\s*(\(|$)/);
  });

  it('leaves out a title written in no language instead of printing it empty', () => {
    const [line] = presentDigest(content({ sources: [{ ...desk, title: ' ' }] }), 'kk', links).sources;
    expect(line!.title).toBeNull();
    expect(line!.plain).toBe(`${desk.outlets!.kk}, ${formatDay('kk', '2026-03-05')}`);
  });

  it('reads a run stored before sources were per language (its text in the working language)', () => {
    const old = { outlet: 'Консульская служба', title: 'Брифинг', publishedOn: '2026-03-03', url: null };
    const [ru] = presentDigest(content({ sources: [old] }), 'ru', links).sources;
    expect(ru).toMatchObject({ outlet: { text: 'Консульская служба' }, title: { text: 'Брифинг' } });
    const [en] = presentDigest(content({ sources: [old] }), 'en', links).sources;
    expect(en!.title).toMatchObject({ text: 'Брифинг', lang: 'ru' });
  });
});

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

describe('the "figures as of" line', () => {
  const asOf = (lang: (typeof LANGS)[number], over: Partial<DigestContent>) =>
    presentDigest(content(over), lang, links).asOf;

  it('in Kazakh gives the time its attributive form before "жағдай бойынша"', () => {
    const timed = { figuresAsOf: '2026-03-05T10:40:00.000Z', figuresAsOfTimeKnown: true };
    expect(asOf('kk', timed)).toBe(
      '2026 ж. 5 наурыз · деректер 2026 жылғы 5 наурыз, GMT+5 уақытымен сағат 15:40-тағы жағдай бойынша',
    );
    expect(asOf('kk', { ...timed, figuresAsOfTimeKnown: false })).toBe(
      '2026 ж. 5 наурыз · деректер 2026 жылғы 5 наурыздағы жағдай бойынша (уақыты хабарланбаған)',
    );
    // A run stored before the figures' time was kept: when it was generated (20:00 in Almaty).
    expect(asOf('kk', {})).toContain('деректер 2026 жылғы 5 наурыз, GMT+5 уақытымен сағат 20:00-дегі жағдай');
  });

  it.each(LANGS)('%s: with no figure at all says so, not "as of not reported"', (lang) => {
    const line = asOf(lang, { figuresAsOf: null });
    expect(line).toBe(t(lang, 'digest.as_of_none', { day: formatDay(lang, '2026-03-05') }));
    expect(line).not.toContain(t(lang, 'figure.not_reported'));
  });
});
