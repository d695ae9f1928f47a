// The reported figures of March 2026, each citing its report. Nothing here is
// invented: where a report leaves a stage, a date or a mode unclear, the note
// says how it was recorded and the figure is left "not reported". Labels, notes and
// source descriptions are written in Kazakh, Russian and English; the reports' own words
// are quoted as published (001 in English, 002 and 004 in Russian), with translations.
// Translations are new words: the figures and facts are the reports' and no more.
import type { Localized, LocalizedText, Quotation } from '../schema.ts';

/** The seeded operation is run in English: its labels are the movements' stable keys. */
export const SEED_WORKING_LANGUAGE = 'en' as const;

export type SeedSource = {
  slug: string;
  /** The title as published, in `language`; `titles` has it in every language. */
  title: string;
  titles: Localized;
  outlet: string;
  outlets: Localized;
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
  mode: 'bus' | 'flight' | 'land' | 'not_reported';
  crossesBorder: boolean;
};

export type SeedFigure = { stage: 'registered' | 'departed' | 'arrived'; total: number };

export type SeedMovement = {
  /** Per language; the English one is the movement's key (SEED_WORKING_LANGUAGE). */
  labels: { en: string } & Localized;
  kind: 'convoy' | 'flight' | 'batch';
  scheduledDate: string | null;
  status: 'planned' | 'departed' | 'arrived';
  /** The day the report gives for the departure ("on March 3"); its time was not reported. */
  departedOn?: string;
  currentLeg: number | null;
  figures: SeedFigure[];
  source: string;
  /** How the report's figure was recorded. Shown publicly. */
  notes: Localized;
  /** The report's own words the figure rests on. */
  quote: Quotation | null;
};

export type SeedRoute = {
  slug: string;
  names: LocalizedText;
  source: string;
  notes: Localized;
  quote: Quotation | null;
  legs: SeedLeg[];
  movements: SeedMovement[];
};

const REPORTS = 'shared/reports';

export const seedSources: SeedSource[] = [
  {
    slug: 'bakayev-briefing-2026-03-03',
    title: 'Evacuation of citizens underway (Kazakhstan does not take sides in Middle East conflict)',
    titles: {
      en: 'Evacuation of citizens underway (Kazakhstan does not take sides in Middle East conflict)',
      ru: 'Эвакуация граждан продолжается (Казахстан не занимает ничью сторону в конфликте на Ближнем Востоке)',
      kk: 'Азаматтарды эвакуациялау жүріп жатыр (Қазақстан Таяу Шығыстағы қақтығыста ешкімнің жағын ұстамайды)',
    },
    outlet: 'Deputy Foreign Minister Alibek Bakayev, government briefing',
    outlets: {
      en: 'Deputy Foreign Minister Alibek Bakayev, government briefing',
      ru: 'Заместитель министра иностранных дел Алибек Бакаев, брифинг в Правительстве',
      kk: 'Сыртқы істер министрінің орынбасары Әлібек Бақаев, Үкіметтегі брифинг',
    },
    publishedOn: '2026-03-03',
    language: 'en',
    file: `${REPORTS}/001_90e43d388fe137d1.txt`,
  },
  {
    slug: 'zakon-kz-2026-03-03',
    title: 'Казахстан не занимает чью-либо сторону в конфликте на Ближнем Востоке – МИД',
    titles: {
      ru: 'Казахстан не занимает чью-либо сторону в конфликте на Ближнем Востоке – МИД',
      en: 'Kazakhstan does not take anyone’s side in the Middle East conflict – Foreign Ministry',
      kk: 'Қазақстан Таяу Шығыстағы қақтығыста ешкімнің жағын ұстамайды – СІМ',
    },
    outlet: 'Zakon.kz (Transport Minister Nurlan Sauranbayev on evacuation flights)',
    outlets: {
      en: 'Zakon.kz (Transport Minister Nurlan Sauranbayev on evacuation flights)',
      ru: 'Zakon.kz (министр транспорта Нурлан Сауранбаев об эвакуационных рейсах)',
      kk: 'Zakon.kz (Көлік министрі Нұрлан Сауранбаев эвакуациялық рейстер туралы)',
    },
    publishedOn: '2026-03-03',
    publishedTime: '12:53',
    language: 'ru',
    file: `${REPORTS}/002_c6a1c49402626443.txt`,
  },
  {
    slug: 'mfa-azerbaijan-turkmenistan-2026-03-02',
    title: 'МИД Казахстана обсудил координацию с Азербайджаном и Туркменистаном по Ближнему Востоку',
    titles: {
      ru: 'МИД Казахстана обсудил координацию с Азербайджаном и Туркменистаном по Ближнему Востоку',
      en: 'Kazakhstan’s Foreign Ministry discussed coordination on the Middle East with Azerbaijan and Turkmenistan',
      kk: 'Қазақстан СІМ Таяу Шығыс бойынша Әзербайжанмен және Түрікменстанмен үйлестіруді талқылады',
    },
    // The file reads as a news article: a byline, no outlet named, the ministry in the third person.
    outlet: 'News article by Dinara Zhumagulova (outlet not named in the file)',
    outlets: {
      en: 'News article by Dinara Zhumagulova (outlet not named in the file)',
      ru: 'Новостная статья Динары Жумагуловой (издание в файле не названо)',
      kk: 'Динара Жұмағұлованың жаңалық мақаласы (басылым файлда аталмаған)',
    },
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
  workingLanguage: SEED_WORKING_LANGUAGE,
};

/**
 * Operation-level notes stating a report's qualitative fact, each citing it: who the
 * lists prioritise (report 001). The report gives no numbers for the groups, so the
 * priority-group table stays empty until someone records a breakdown.
 */
export const seedNotices: { source: string; bodies: Localized; quote: Quotation }[] = [
  {
    source: 'bakayev-briefing-2026-03-03',
    bodies: {
      en: 'Who is on the lists: according to the briefing of 3 March, the evacuation lists mainly include women with minor children, citizens over 60 and people with medical conditions. How many of each was not reported.',
      ru: 'Кто в списках: по данным брифинга 3 марта, в списки на эвакуацию в основном включены женщины с несовершеннолетними детьми, граждане старше 60 лет и люди с заболеваниями. Сколько человек в каждой группе, не сообщалось.',
      kk: 'Тізімде кімдер бар: 3 наурыздағы брифинг деректері бойынша эвакуация тізімдеріне негізінен кәмелетке толмаған балалары бар әйелдер, 60 жастан асқан азаматтар және науқастығы бар адамдар енгізілген. Әр топта қанша адам бар екені хабарланбаған.',
    },
    quote: {
      lang: 'en',
      text: 'The evacuation lists primarily include women with minor children, citizens over the age of 60, and individuals with medical conditions.',
      translations: {
        ru: 'В списки на эвакуацию в первую очередь включены женщины с несовершеннолетними детьми, граждане старше 60 лет и люди с заболеваниями.',
        kk: 'Эвакуация тізімдеріне ең алдымен кәмелетке толмаған балалары бар әйелдер, 60 жастан асқан азаматтар және науқастығы бар адамдар енгізілген.',
      },
    },
  },
];

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

/** Report 001 (English), on all three exits from Iran. */
const overlandQuote: Quotation = {
  lang: 'en',
  text: 'Kazakh nationals in Iran are expected to be evacuated by land through Armenia, Azerbaijan, and Turkmenistan.',
  translations: {
    ru: 'Ожидается, что граждан Казахстана, находящихся в Иране, эвакуируют по суше через Армению, Азербайджан и Туркменистан.',
    kk: 'Ирандағы Қазақстан азаматтарын Армения, Әзербайжан және Түрікменстан арқылы құрлықпен эвакуациялау күтілуде.',
  },
};

const iranExit = (slug: string, country: LocalizedText, to: string): SeedRoute => ({
  slug: `iran-via-${slug}`,
  names: {
    en: `Iran → ${country.en} (overland)`,
    ru: `Иран → ${country.ru} (по суше)`,
    kk: `Иран → ${country.kk} (құрлықпен)`,
  },
  // The quote is Bakayev's briefing (report 001), which names all three exits: every route cites it.
  source: 'bakayev-briefing-2026-03-03',
  notes: {
    en: 'No figures, dates or crossing status reported.',
    ru: 'Численность, даты и состояние пунктов пропуска не сообщались.',
    kk: 'Адам саны, күндері және өткізу пункттерінің жай-күйі хабарланбаған.',
  },
  quote: overlandQuote,
  legs: [{ from: 'iran', to, mode: 'land', crossesBorder: true }],
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
    notes: {},
    quote: null,
    legs: [
      { from: 'dubai', to: 'oman', mode: 'bus', crossesBorder: true },
      { from: 'oman', to: 'kazakhstan', mode: 'flight', crossesBorder: true },
    ],
    movements: [
      {
        labels: {
          en: 'Repatriation via Oman, 3 March',
          ru: 'Репатриация через Оман, 3 марта',
          kk: 'Оман арқылы елге қайтару, 3 наурыз',
        },
        kind: 'batch',
        scheduledDate: '2026-03-03',
        status: 'departed',
        departedOn: '2026-03-03',
        currentLeg: 1,
        figures: [{ stage: 'registered', total: 467 }],
        source: 'bakayev-briefing-2026-03-03',
        notes: {
          en: 'The 467 citizens to be repatriated via Oman are recorded as registered. The size of the first group, which travelled by bus from Dubai to Oman, was not reported.',
          ru: '467 граждан, которых должны репатриировать через Оман, учтены как «в списках». Численность первой группы, выехавшей на автобусе из Дубая в Оман, не сообщалась.',
          kk: 'Оман арқылы елге қайтарылуы тиіс 467 азамат «тізімде» деп есепке алынды. Дубайдан Оманға автобуспен аттанған алғашқы топтың саны хабарланбаған.',
        },
        quote: {
          lang: 'en',
          text: 'Bakayev announced that 467 Kazakh citizens would be repatriated on March 3 via the Sultanate of Oman. The first group traveled by bus from Dubai to Oman, from where they are scheduled to fly to Kazakhstan.',
          translations: {
            ru: 'Бакаев сообщил, что 467 граждан Казахстана будут репатриированы 3 марта через Султанат Оман. Первая группа отправилась на автобусе из Дубая в Оман, откуда они должны вылететь в Казахстан.',
            kk: 'Бақаев 467 Қазақстан азаматы 3 наурызда Оман Сұлтандығы арқылы елге қайтарылатынын хабарлады. Алғашқы топ Дубайдан Оманға автобуспен жүріп кетті, олар сол жерден Қазақстанға ұшуы тиіс.',
          },
        },
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
    notes: {
      en: 'The mode of the onward leg from Riyadh to Jeddah was not stated.',
      ru: 'Каким транспортом граждан везут дальше, из Эр-Рияда в Джидду, не сообщалось.',
      kk: 'Эр-Рияд пен Жидда арасындағы келесі кезеңнің көлік түрі айтылмаған.',
    },
    quote: {
      lang: 'en',
      text: 'This route is being organized from Qatar to Saudi Arabia, with citizens transported by bus from Qatar to Riyadh, then onward to Jeddah, and flown home from there.',
      translations: {
        ru: 'Этот маршрут организуется из Катара в Саудовскую Аравию: граждан доставляют на автобусах из Катара в Эр-Рияд, затем дальше в Джидду, а оттуда самолётом домой.',
        kk: 'Бұл бағыт Катардан Сауд Арабиясына қарай ұйымдастырылуда: азаматтар Катардан Эр-Риядқа автобуспен жеткізіліп, одан әрі Жиддаға барады, ал сол жерден елге ұшақпен қайтарылады.',
      },
    },
    legs: [
      { from: 'qatar', to: 'riyadh', mode: 'bus', crossesBorder: true },
      { from: 'riyadh', to: 'jeddah', mode: 'not_reported', crossesBorder: false },
      { from: 'jeddah', to: 'kazakhstan', mode: 'flight', crossesBorder: true },
    ],
    movements: [
      {
        labels: {
          en: 'Evacuation from Jeddah, 4 March',
          ru: 'Эвакуация из Джидды, 4 марта',
          kk: 'Жиддадан эвакуация, 4 наурыз',
        },
        kind: 'batch',
        scheduledDate: '2026-03-04',
        status: 'planned',
        currentLeg: null,
        figures: [{ stage: 'registered', total: 343 }],
        source: 'bakayev-briefing-2026-03-03',
        notes: {
          en: 'The 343 citizens to be evacuated from Jeddah are recorded as registered.',
          ru: '343 гражданина, которых должны эвакуировать из Джидды, учтены как «в списках».',
          kk: 'Жиддадан эвакуациялануы тиіс 343 азамат «тізімде» деп есепке алынды.',
        },
        quote: {
          lang: 'en',
          text: 'Another 343 citizens are set to be evacuated from Jeddah on March 4.',
          translations: {
            ru: 'Ещё 343 гражданина должны быть эвакуированы из Джидды 4 марта.',
            kk: 'Тағы 343 азамат 4 наурызда Жиддадан эвакуациялануы тиіс.',
          },
        },
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
    notes: {
      en: 'Evacuation flights from Dubai to Almaty and Astana were announced by Transport Minister Nurlan Sauranbayev (Zakon.kz, 3 March 2026).',
      ru: 'Об эвакуационных рейсах из Дубая в Алматы и Астану объявил министр транспорта Нурлан Сауранбаев (Zakon.kz, 3 марта 2026 года).',
      kk: 'Дубайдан Алматы мен Астанаға эвакуациялық рейстерді Көлік министрі Нұрлан Сауранбаев жариялады (Zakon.kz, 2026 жылғы 3 наурыз).',
    },
    quote: {
      lang: 'ru',
      text: 'Срочная эвакуация: объявлены вывозные рейсы из Дубая в Алматы и Астану',
      translations: {
        en: 'Urgent evacuation: evacuation flights from Dubai to Almaty and Astana announced',
        kk: 'Шұғыл эвакуация: Дубайдан Алматы мен Астанаға әкету рейстері жарияланды',
      },
    },
    legs: [
      { from: 'dubai', to: 'almaty', mode: 'flight', crossesBorder: true },
      { from: 'dubai', to: 'astana', mode: 'flight', crossesBorder: true },
    ],
    movements: [
      {
        labels: {
          en: 'FlyDubai flights, up to 3 March',
          ru: 'Рейсы FlyDubai, по 3 марта',
          kk: 'FlyDubai рейстері, 3 наурызға дейін',
        },
        kind: 'flight',
        scheduledDate: null,
        status: 'arrived',
        currentLeg: null,
        figures: [
          { stage: 'departed', total: 306 },
          { stage: 'arrived', total: 306 },
        ],
        source: 'bakayev-briefing-2026-03-03',
        notes: {
          en: 'The 306 passengers are recorded as departed and as arrived home. Flight dates and the split between the two cities were not reported.',
          ru: '306 пассажиров учтены как «выехали» и как «прибыли домой». Даты рейсов и распределение между двумя городами не сообщались.',
          kk: '306 жолаушы «жолға шықты» және «елге оралды» деп есепке алынды. Рейстердің күндері және екі қала арасындағы бөлінісі хабарланбаған.',
        },
        quote: {
          lang: 'en',
          text: 'FlyDubai flights have already transported 306 passengers from Dubai to Almaty and Astana.',
          translations: {
            ru: 'Рейсы FlyDubai уже доставили 306 пассажиров из Дубая в Алматы и Астану.',
            kk: 'FlyDubai рейстері Дубайдан Алматы мен Астанаға 306 жолаушыны жеткізіп үлгерді.',
          },
        },
      },
    ],
  },
];
