// The reported figures of March 2026, each citing its report. Nothing here is
// invented: where a report leaves a stage, a date or a mode unclear, the note
// says how it was recorded and the figure is left "not reported".
import type { LocalizedText } from '../schema.ts';

export type SeedSource = {
  slug: string;
  title: string;
  outlet: string;
  publishedOn: string;
  /** Local time (HH:MM, Asia/Almaty) the report gives for itself, when it gives one. */
  publishedTime?: string;
  language: string;
  file: string;
};

export type SeedPlace = { slug: string; names: LocalizedText; countryCode: string; kind: 'city' | 'country' };

export type SeedLeg = {
  from: string;
  to: string;
  mode: 'bus' | 'flight' | 'road';
  crossesBorder: boolean;
};

export type SeedFigure = { stage: 'registered' | 'departed' | 'arrived'; total: number };

export type SeedMovement = {
  label: string;
  kind: 'convoy' | 'flight' | 'batch';
  scheduledDate: string | null;
  status: 'planned' | 'departed' | 'arrived';
  /** The day the report gives for the departure ("on March 3"); its time was not reported. */
  departedOn?: string;
  currentLeg: number | null;
  figures: SeedFigure[];
  source: string;
  /** How the report words it, and how that was recorded. Shown publicly. */
  note: string;
};

export type SeedRoute = {
  slug: string;
  names: LocalizedText;
  source: string;
  note: string | null;
  legs: SeedLeg[];
  movements: SeedMovement[];
};

const REPORTS = 'shared/reports';

export const seedSources: SeedSource[] = [
  {
    slug: 'bakayev-briefing-2026-03-03',
    title: 'Evacuation of citizens underway (Kazakhstan does not take sides in Middle East conflict)',
    outlet: 'Deputy Foreign Minister Alibek Bakayev, government briefing',
    publishedOn: '2026-03-03',
    language: 'en',
    file: `${REPORTS}/001_90e43d388fe137d1.txt`,
  },
  {
    slug: 'zakon-kz-2026-03-03',
    title: 'Казахстан не занимает чью-либо сторону в конфликте на Ближнем Востоке – МИД',
    outlet: 'Zakon.kz (Transport Minister Nurlan Sauranbayev on evacuation flights)',
    publishedOn: '2026-03-03',
    publishedTime: '12:53',
    language: 'ru',
    file: `${REPORTS}/002_c6a1c49402626443.txt`,
  },
  {
    slug: 'mfa-azerbaijan-turkmenistan-2026-03-02',
    title: 'МИД Казахстана обсудил координацию с Азербайджаном и Туркменистаном по Ближнему Востоку',
    outlet: 'Foreign Ministry of Kazakhstan (article by Dinara Zhumagulova)',
    publishedOn: '2026-03-02',
    publishedTime: '19:27',
    language: 'ru',
    file: `${REPORTS}/004_74cec711e28a9ff5.txt`,
  },
];

export const seedOperation = {
  slug: 'middle-east-2026',
  names: { en: 'Middle East 2026', ru: 'Ближний Восток 2026', kk: 'Таяу Шығыс 2026' },
  timeZone: 'Asia/Almaty',
};

export const seedPlaces: SeedPlace[] = [
  { slug: 'dubai', names: { en: 'Dubai', ru: 'Дубай', kk: 'Дубай' }, countryCode: 'AE', kind: 'city' },
  { slug: 'oman', names: { en: 'Oman', ru: 'Оман', kk: 'Оман' }, countryCode: 'OM', kind: 'country' },
  { slug: 'qatar', names: { en: 'Qatar', ru: 'Катар', kk: 'Катар' }, countryCode: 'QA', kind: 'country' },
  { slug: 'riyadh', names: { en: 'Riyadh', ru: 'Эр-Рияд', kk: 'Эр-Рияд' }, countryCode: 'SA', kind: 'city' },
  { slug: 'jeddah', names: { en: 'Jeddah', ru: 'Джидда', kk: 'Жидда' }, countryCode: 'SA', kind: 'city' },
  { slug: 'iran', names: { en: 'Iran', ru: 'Иран', kk: 'Иран' }, countryCode: 'IR', kind: 'country' },
  {
    slug: 'armenia',
    names: { en: 'Armenia', ru: 'Армения', kk: 'Армения' },
    countryCode: 'AM',
    kind: 'country',
  },
  {
    slug: 'azerbaijan',
    names: { en: 'Azerbaijan', ru: 'Азербайджан', kk: 'Әзербайжан' },
    countryCode: 'AZ',
    kind: 'country',
  },
  {
    slug: 'turkmenistan',
    names: { en: 'Turkmenistan', ru: 'Туркменистан', kk: 'Түрікменстан' },
    countryCode: 'TM',
    kind: 'country',
  },
  {
    slug: 'kazakhstan',
    names: { en: 'Kazakhstan', ru: 'Казахстан', kk: 'Қазақстан' },
    countryCode: 'KZ',
    kind: 'country',
  },
  { slug: 'almaty', names: { en: 'Almaty', ru: 'Алматы', kk: 'Алматы' }, countryCode: 'KZ', kind: 'city' },
  { slug: 'astana', names: { en: 'Astana', ru: 'Астана', kk: 'Астана' }, countryCode: 'KZ', kind: 'city' },
];

const iranExit = (slug: string, country: LocalizedText, to: string): SeedRoute => ({
  slug: `iran-via-${slug}`,
  names: {
    en: `Iran → ${country.en} (overland)`,
    ru: `Иран → ${country.ru} (по суше)`,
    kk: `Иран → ${country.kk} (құрлықпен)`,
  },
  source: to === 'armenia' ? 'bakayev-briefing-2026-03-03' : 'mfa-azerbaijan-turkmenistan-2026-03-02',
  note:
    'Citizens in Iran "are expected to be evacuated by land through Armenia, Azerbaijan, and Turkmenistan" ' +
    '(Bakayev, 3 March 2026). No figures, dates or crossing status reported.',
  legs: [{ from: 'iran', to, mode: 'road', crossesBorder: true }],
  movements: [],
});

export const seedRoutes: SeedRoute[] = [
  {
    slug: 'dubai-oman',
    names: {
      en: 'Dubai → Oman → Kazakhstan',
      ru: 'Дубай → Оман → Казахстан',
      kk: 'Дубай → Оман → Қазақстан',
    },
    source: 'bakayev-briefing-2026-03-03',
    note: null,
    legs: [
      { from: 'dubai', to: 'oman', mode: 'bus', crossesBorder: true },
      { from: 'oman', to: 'kazakhstan', mode: 'flight', crossesBorder: true },
    ],
    movements: [
      {
        label: 'Repatriation via Oman, 3 March',
        kind: 'batch',
        scheduledDate: '2026-03-03',
        status: 'departed',
        departedOn: '2026-03-03',
        currentLeg: 1,
        figures: [{ stage: 'registered', total: 467 }],
        source: 'bakayev-briefing-2026-03-03',
        note:
          'Reported as 467 citizens who "would be repatriated on March 3 via the Sultanate of Oman"; recorded as registered. ' +
          'The first group "traveled by bus from Dubai to Oman, from where they are scheduled to fly"; its size was not reported.',
      },
    ],
  },
  {
    slug: 'qatar-riyadh-jeddah',
    names: {
      en: 'Qatar → Riyadh → Jeddah → Kazakhstan',
      ru: 'Катар → Эр-Рияд → Джидда → Казахстан',
      kk: 'Катар → Эр-Рияд → Жидда → Қазақстан',
    },
    source: 'bakayev-briefing-2026-03-03',
    note: 'Reported as "by bus from Qatar to Riyadh, then onward to Jeddah"; the mode of the onward leg was not stated.',
    legs: [
      { from: 'qatar', to: 'riyadh', mode: 'bus', crossesBorder: true },
      { from: 'riyadh', to: 'jeddah', mode: 'bus', crossesBorder: false },
      { from: 'jeddah', to: 'kazakhstan', mode: 'flight', crossesBorder: true },
    ],
    movements: [
      {
        label: 'Evacuation from Jeddah, 4 March',
        kind: 'batch',
        scheduledDate: '2026-03-04',
        status: 'planned',
        currentLeg: null,
        figures: [{ stage: 'registered', total: 343 }],
        source: 'bakayev-briefing-2026-03-03',
        note: 'Reported as 343 citizens "set to be evacuated from Jeddah on March 4"; recorded as registered.',
      },
    ],
  },
  iranExit('armenia', { en: 'Armenia', ru: 'Армения', kk: 'Армения' }, 'armenia'),
  iranExit('azerbaijan', { en: 'Azerbaijan', ru: 'Азербайджан', kk: 'Әзербайжан' }, 'azerbaijan'),
  iranExit('turkmenistan', { en: 'Turkmenistan', ru: 'Туркменистан', kk: 'Түрікменстан' }, 'turkmenistan'),
  {
    slug: 'dubai-almaty-astana',
    names: {
      en: 'Dubai → Almaty and Astana (flights)',
      ru: 'Дубай → Алматы и Астана (рейсы)',
      kk: 'Дубай → Алматы және Астана (рейстер)',
    },
    source: 'zakon-kz-2026-03-03',
    note: 'Evacuation flights from Dubai to Almaty and Astana were announced by Transport Minister Nurlan Sauranbayev (Zakon.kz, 3 March 2026).',
    legs: [
      { from: 'dubai', to: 'almaty', mode: 'flight', crossesBorder: true },
      { from: 'dubai', to: 'astana', mode: 'flight', crossesBorder: true },
    ],
    movements: [
      {
        label: 'FlyDubai flights, up to 3 March',
        kind: 'flight',
        scheduledDate: null,
        status: 'arrived',
        currentLeg: null,
        figures: [
          { stage: 'departed', total: 306 },
          { stage: 'arrived', total: 306 },
        ],
        source: 'bakayev-briefing-2026-03-03',
        note:
          'Reported as "FlyDubai flights have already transported 306 passengers from Dubai to Almaty and Astana" (3 March 2026); ' +
          'recorded as departed and arrived home. Flight dates and the split between the two cities were not reported.',
      },
    ],
  },
];
