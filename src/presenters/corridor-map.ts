// The corridors on a map: each route's legs as lines between its places, coloured
// and patterned by progress, border crossings marked with their status, place names
// in the reader's language, and the same routes as a text alternative. Inline SVG,
// drawn over the Natural Earth outlines of src/map/geo.ts; nothing per request.
import type { PublicLeg, PublicOperation, PublicPlace, PublicRoute } from '../domain/privacy.ts';
import { type Lang, localized, t } from '../i18n/index.ts';
import { type LonLat, countryCentroid, mapView } from '../map/geo.ts';

export type LegProgress = 'done' | 'moving' | 'planned';

const LABEL_SIZE = 13;
const CHAR_WIDTH = 0.6 * LABEL_SIZE;

/**
 * How far each leg of a route has got, from its published movements: an arrived
 * movement has done every leg; a departed one has done the legs before the one it
 * is on and is on that one (on every leg, when which one was not recorded). A leg
 * someone is on is under way; else one someone has passed is completed; else not
 * started. Movements not yet public count as not started.
 */
export function legProgress(route: PublicRoute): LegProgress[] {
  return route.legs.map((leg) => {
    let done = false;
    for (const m of route.movements) {
      if (!m.published) continue;
      if (m.status === 'arrived') done = true;
      else if (m.currentLegPosition === null || m.currentLegPosition === leg.position) return 'moving';
      else if (m.currentLegPosition > leg.position) done = true;
    }
    return done ? 'done' : 'planned';
  });
}

/** Where a place is drawn: its coordinates, or for a whole country its centroid; else nowhere. */
function placePoint(p: PublicPlace): LonLat | null {
  if (p.latitude !== null && p.longitude !== null) return [p.longitude, p.latitude];
  return p.kind === 'country' ? countryCentroid(p.countryCode) : null;
}

type Box = { x0: number; y0: number; x1: number; y1: number };
const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

export function corridorMap(lang: Lang, op: PublicOperation) {
  const places = new Map<string, PublicPlace>();
  for (const r of op.routes) for (const l of r.legs) for (const p of [l.from, l.to]) places.set(p.slug, p);
  const lonLat = new Map<string, LonLat>();
  for (const p of places.values()) {
    const at = placePoint(p);
    if (at) lonLat.set(p.slug, at);
  }
  const text = op.routes.map((r) => routeText(lang, r));
  const unplaced = [...places.values()]
    .filter((p) => !lonLat.has(p.slug))
    .map((p) => localized(p.names, lang));
  if (lonLat.size === 0) return { drawn: false as const, text, unplaced };

  const view = mapView(
    [...lonLat.values()],
    [...places.values()].map((p) => p.countryCode),
  );
  const xy = new Map<string, [number, number]>();
  for (const [slug, at] of lonLat) {
    const p = view.project(at);
    if (p) xy.set(slug, p);
  }

  const lines: { d: string; cls: string }[] = [];
  const crossings: { points: string; cls: string }[] = [];
  for (const r of op.routes) {
    const progress = legProgress(r);
    r.legs.forEach((leg, i) => {
      const a = xy.get(leg.from.slug);
      const b = xy.get(leg.to.slug);
      if (!a || !b) return;
      const { d, mid } = legPath(a, b, leg.mode === 'flight');
      lines.push({ d, cls: `leg p-${progress[i]}${leg.mode === 'flight' ? ' air' : ''}` });
      if (leg.crossesBorder) {
        const r = (v: number) => Math.round(v * 10) / 10;
        const [x, y] = mid as [number, number];
        crossings.push({
          points: `${r(x)},${r(y - 5)} ${r(x + 5)},${r(y)} ${r(x)},${r(y + 5)} ${r(x - 5)},${r(y)}`,
          cls: `x-${leg.crossingStatus ?? 'unknown'}`,
        });
      }
    });
  }
  // Under way drawn last (on top), then completed, then not started.
  const order = { 'p-planned': 0, 'p-done': 1, 'p-moving': 2 } as Record<string, number>;
  lines.sort((a, b) => (order[a.cls.split(' ')[1]!] ?? 0) - (order[b.cls.split(' ')[1]!] ?? 0));

  const markers = [...xy].map(([slug, [x, y]]) => {
    const p = places.get(slug)!;
    return { slug, x, y, name: localized(p.names, lang), country: p.kind === 'country' };
  });
  return {
    drawn: true as const,
    width: view.width,
    height: view.height,
    countries: view.countries.map((c) => ({ d: c.d, cls: c.involved ? 'c-in' : 'c' })),
    lines,
    crossings,
    places: placeLabels(markers, view.width, view.height),
    text,
    unplaced,
  };
}

/** A straight line on the ground; a flight bows to one side, so it reads as a flight. */
function legPath(a: [number, number], b: [number, number], air: boolean) {
  const r = (v: number) => Math.round(v * 10) / 10;
  if (!air)
    return { d: `M${r(a[0])} ${r(a[1])}L${r(b[0])} ${r(b[1])}`, mid: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] };
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const c = [(a[0] + b[0]) / 2 - dy * 0.18, (a[1] + b[1]) / 2 + dx * 0.18];
  return {
    d: `M${r(a[0])} ${r(a[1])}Q${r(c[0]!)} ${r(c[1]!)} ${r(b[0])} ${r(b[1])}`,
    mid: [0.25 * a[0] + 0.5 * c[0]! + 0.25 * b[0], 0.25 * a[1] + 0.5 * c[1]! + 0.25 * b[1]],
  };
}

/**
 * Each name beside its marker where it overlaps no other name or marker and stays
 * inside the map: right, left, above, below, then the diagonals; failing all, the
 * least crowded spot.
 */
function placeLabels(
  markers: { slug: string; x: number; y: number; name: string; country: boolean }[],
  width: number,
  height: number,
) {
  const taken: Box[] = markers.map((m) => ({ x0: m.x - 5, y0: m.y - 5, x1: m.x + 5, y1: m.y + 5 }));
  const h = LABEL_SIZE;
  // Top to bottom, left to right: a stable order gives the same picture every build.
  const sorted = [...markers].sort((a, b) => a.y - b.y || a.x - b.x);
  return sorted.map((m) => {
    const w = m.name.length * CHAR_WIDTH;
    const candidates: { x: number; y: number; anchor: 'start' | 'end' | 'middle'; box: Box }[] = [
      {
        x: m.x + 8,
        y: m.y + 4,
        anchor: 'start',
        box: { x0: m.x + 7, y0: m.y - h / 2, x1: m.x + 8 + w, y1: m.y + h / 2 },
      },
      {
        x: m.x - 8,
        y: m.y + 4,
        anchor: 'end',
        box: { x0: m.x - 8 - w, y0: m.y - h / 2, x1: m.x - 7, y1: m.y + h / 2 },
      },
      {
        x: m.x,
        y: m.y - 9,
        anchor: 'middle',
        box: { x0: m.x - w / 2, y0: m.y - 9 - h, x1: m.x + w / 2, y1: m.y - 7 },
      },
      {
        x: m.x,
        y: m.y + 19,
        anchor: 'middle',
        box: { x0: m.x - w / 2, y0: m.y + 7, x1: m.x + w / 2, y1: m.y + 21 },
      },
      {
        x: m.x + 6,
        y: m.y - 7,
        anchor: 'start',
        box: { x0: m.x + 5, y0: m.y - 7 - h, x1: m.x + 6 + w, y1: m.y - 5 },
      },
      {
        x: m.x - 6,
        y: m.y - 7,
        anchor: 'end',
        box: { x0: m.x - 6 - w, y0: m.y - 7 - h, x1: m.x - 5, y1: m.y - 5 },
      },
      {
        x: m.x + 6,
        y: m.y + 17,
        anchor: 'start',
        box: { x0: m.x + 5, y0: m.y + 5, x1: m.x + 6 + w, y1: m.y + 19 },
      },
      {
        x: m.x - 6,
        y: m.y + 17,
        anchor: 'end',
        box: { x0: m.x - 6 - w, y0: m.y + 5, x1: m.x - 5, y1: m.y + 19 },
      },
    ];
    const score = (b: Box) =>
      taken.filter((o) => overlaps(o, b)).length * 10 +
      (b.x0 < 0 || b.x1 > width || b.y0 < 0 || b.y1 > height ? 5 : 0);
    let best = candidates[0]!;
    let bestScore = Infinity;
    for (const c of candidates) {
      const s = score(c.box);
      if (s < bestScore) [best, bestScore] = [c, s];
      if (s === 0) break;
    }
    taken.push(best.box);
    return {
      x: m.x,
      y: m.y,
      country: m.country,
      label: {
        x: Math.round(best.x * 10) / 10,
        y: Math.round(best.y * 10) / 10,
        anchor: best.anchor,
        text: m.name,
      },
    };
  });
}

/** "Dubai → Oman: bus, under way, crossing status not reported; …" */
function routeText(lang: Lang, r: PublicRoute) {
  const progress = legProgress(r);
  return {
    name: localized(r.names, lang),
    legs: r.legs.map((leg: PublicLeg, i) =>
      [
        `${localized(leg.from.names, lang)} → ${localized(leg.to.names, lang)}`,
        t(lang, `mode.${leg.mode}`).toLocaleLowerCase(),
        t(lang, `map.progress.${progress[i] ?? 'planned'}`),
        leg.crossesBorder ? t(lang, `crossing.${leg.crossingStatus ?? 'unknown'}`).toLocaleLowerCase() : null,
      ]
        .filter(Boolean)
        .join(', '),
    ),
  };
}
