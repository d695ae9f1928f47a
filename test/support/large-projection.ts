// A generated public projection of one large operation (routes × movements), for
// measuring the public pages' size at crisis scale without a database: places on
// a line of the map, movements arrived, under way and upcoming, realistic figures.
import type {
  PublicFigure,
  PublicMovement,
  PublicOperation,
  PublicPlace,
  PublicProjection,
  PublicRoute,
} from '../../src/domain/privacy.ts';

const v = (value: number): PublicFigure => ({ kind: 'value', value });
const figures = (r: number, d: number | null, a: number | null) => ({
  registered: v(r),
  departed: d === null ? ({ kind: 'not_reported' } as const) : v(d),
  arrived: a === null ? ({ kind: 'not_reported' } as const) : v(a),
});
const place = (slug: string, lat: number | null, lon: number | null, cc: string): PublicPlace => ({
  slug,
  names: { en: slug, ru: slug, kk: slug },
  countryCode: cc,
  kind: 'city',
  latitude: lat,
  longitude: lon,
});

export function largeProjection(
  routesCount: number,
  movementsPerRoute: number,
  at = new Date('2026-03-20T12:00:00Z'),
): PublicProjection {
  const home = place('almaty', 43.24, 76.89, 'KZ');
  const routes: PublicRoute[] = [];
  let id = 1;
  for (let r = 0; r < routesCount; r++) {
    // Every fifth place has no coordinates: the map must still render.
    const from = place(
      `city-${r}`,
      r % 5 === 0 ? null : 20 + (r % 20),
      r % 5 === 0 ? null : 40 + (r % 15),
      'AE',
    );
    const movements: PublicMovement[] = [];
    for (let m = 0; m < movementsPerRoute; m++) {
      const day = `2026-03-${String(1 + (m % 28)).padStart(2, '0')}`;
      const n = 20 + ((m * 37) % 180);
      if (m % 4 === 3) movements.push({ published: false, id: id++, status: 'upcoming', scheduledDate: day });
      else
        movements.push({
          published: true,
          id: id++,
          labels: { en: `Flight ${r}-${m}` },
          kind: 'flight',
          status: m % 4 === 2 ? 'departed' : 'arrived',
          delayed: false,
          scheduledDate: day,
          departedAt: new Date(`${day}T06:00:00Z`),
          departedTimeKnown: true,
          arrivedAt: m % 4 === 2 ? null : new Date(`${day}T12:00:00Z`),
          arrivedTimeKnown: true,
          currentLegPosition: null,
          publicNotes: {},
          publicQuote: null,
          source: null,
          figures: figures(n + 3, n, m % 4 === 2 ? null : n),
          figuresAsOf: new Date(`${day}T13:00:00Z`),
          figuresAsOfTimeKnown: true,
          updatedAt: new Date(`${day}T13:00:00Z`),
        });
    }
    routes.push({
      id: r + 1,
      slug: `route-${r}`,
      names: { en: `Route ${r}`, ru: `Маршрут ${r}`, kk: `Бағыт ${r}` },
      publicNotes: {},
      publicQuote: null,
      source: null,
      legs: [
        {
          position: 1,
          from,
          to: home,
          mode: 'flight',
          crossesBorder: true,
          crossingStatus: 'open',
          publicNotes: {},
          updatedAt: at,
        },
      ],
      movements,
      figures: figures(1000, 800, 600),
      figuresAsOf: at,
      figuresAsOfTimeKnown: true,
      final: false,
      updatedAt: at,
      stale: false,
    });
  }
  const op: PublicOperation = {
    id: 1,
    slug: 'large',
    names: { en: 'Large operation', ru: 'Большая операция', kk: 'Үлкен операция' },
    timeZone: 'Asia/Almaty',
    workingLanguage: 'en',
    figuresAsOf: at,
    figuresAsOfTimeKnown: true,
    final: false,
    status: 'active',
    threshold: 5,
    publicationDelayMinutes: 0,
    staleAfterHours: 48,
    lastUpdatedAt: at,
    totals: {
      registered: v(500_000),
      waiting: v(100_000),
      departed: v(400_000),
      arrived: v(300_000),
      onTheWay: v(100_000),
      stageNotReported: v(0),
    },
    groups: [],
    arrivalsByDay: Array.from({ length: 28 }, (_, i) => ({
      day: `2026-03-${String(i + 1).padStart(2, '0')}`,
      arrived: v(1000 + i),
    })),
    arrivalsUndated: null,
    nextDepartures: routes.flatMap((r) =>
      r.movements
        .filter((m) => !m.published)
        .map((m) => ({
          movementId: m.id,
          routeId: r.id,
          routeNames: r.names,
          scheduledDate: m.scheduledDate,
          overdue: false,
        })),
    ),
    routes,
    notices: [],
    sources: [],
    totalsSources: [],
    publisher: { authority: null, url: null, lead: null },
    contacts: [],
  };
  return {
    operations: [op],
    generatedAt: at,
    lastUpdatedAt: at,
    validUntil: null,
    disclosure: { ok: true, releases: [], operations: [] },
  };
}
