// The geography under the public map: Natural Earth 1:50m country boundaries
// (world-atlas), read once per process, and a projected, simplified outline layer
// for a view, computed once per distinct view (the places' extent), never per
// request. Output is SVG path data in the view's user units, rounded to whole
// units and thinned, so the inline map stays a few kilobytes compressed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type GeoContext, type GeoProjection, geoCentroid, geoConicEqualArea, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry, MultiPoint, MultiPolygon } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { ISO_NUMERIC } from './iso-numeric.ts';
import { byCodeUnits } from '../compare.ts';

export type LonLat = [number, number];
/**
 * A country's outline, packed: each ring a Float64Array of lon,lat pairs. As GeoJSON's
 * nested arrays the 1:50m world holds ~100,000 small arrays (~12 MB of heap for the
 * process's life); packed, about 2 MB. A feature is unpacked only while a view that
 * shows it is computed (the arrays are garbage after).
 */
type Country = {
  id: string;
  name: string;
  box: [number, number, number, number];
  polygons: Float64Array[][];
};

let world: Map<string, Country[]> | undefined;

/** Countries by ISO numeric code (a code may have several features: Australia and its reefs). */
function countries(): Map<string, Country[]> {
  if (world) return world;
  const path = createRequire(import.meta.url).resolve('world-atlas/countries-50m.json');
  const topology = JSON.parse(readFileSync(path, 'utf8')) as Topology<{
    countries: GeometryCollection<{ name: string }>;
  }>;
  const all = feature(topology, topology.objects.countries) as FeatureCollection<Geometry, { name: string }>;
  world = new Map();
  for (const f of all.features) {
    const id = String(f.id ?? '');
    const g = f.geometry;
    if (!id || (g?.type !== 'Polygon' && g?.type !== 'MultiPolygon')) continue;
    const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).map((rings) =>
      rings.map((ring) => Float64Array.from(ring.flatMap((p) => [p[0]!, p[1]!]))),
    );
    const country = { id, name: f.properties.name, box: planarBounds(polygons), polygons };
    world.set(id, [...(world.get(id) ?? []), country]);
  }
  return world;
}

/** The country as a GeoJSON feature, for d3 (made for one view, then dropped). */
function unpack(c: Country): Feature<MultiPolygon, { name: string }> {
  const ring = (r: Float64Array) =>
    Array.from({ length: r.length / 2 }, (_, i) => [r[2 * i]!, r[2 * i + 1]!]);
  return {
    type: 'Feature',
    id: c.id,
    properties: { name: c.name },
    geometry: { type: 'MultiPolygon', coordinates: c.polygons.map((rings) => rings.map(ring)) },
  };
}

/** Longitude/latitude bounds of the coordinates (a country across the antimeridian spans all). */
function planarBounds(polygons: Float64Array[][]): [number, number, number, number] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const rings of polygons)
    for (const r of rings)
      for (let i = 0; i < r.length; i += 2) {
        const [x, y] = [r[i]!, r[i + 1]!];
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
  return [x0, y0, x1, y1];
}

/** Reads the boundaries now (about half a second, once per process) rather than on a first build. */
export function loadGeography(): void {
  countries();
}

function countryFeatures(alpha2: string): Country[] {
  const numeric = ISO_NUMERIC[alpha2];
  return numeric ? (countries().get(numeric) ?? []) : [];
}

const centroids = new Map<string, LonLat | null>();

/** Where a place that stands for a whole country goes when it has no coordinates of its own. */
export function countryCentroid(alpha2: string): LonLat | null {
  if (!centroids.has(alpha2)) {
    const fs = countryFeatures(alpha2);
    // The largest part (by its bounds) carries the country: no centroid in the sea between islands.
    const main = fs.sort((a, b) => boundsArea(b) - boundsArea(a))[0];
    centroids.set(alpha2, main ? geoCentroid(unpack(main)) : null);
  }
  return centroids.get(alpha2)!;
}

function boundsArea(f: Country): number {
  const [x0, y0, x1, y1] = f.box;
  return (x1 - x0) * (y1 - y0);
}

export type MapView = {
  width: number;
  height: number;
  project: (p: LonLat) => [number, number] | null;
  /** Outline of every country in view; `involved` ones are those the routes touch. */
  countries: { code: string; d: string; involved: boolean }[];
};

/** Width of the map in user units; the height follows the extent's shape. */
export const MAP_WIDTH = 360;
const MARGIN = 24;

const views = new Map<string, MapView>();

/**
 * The view that shows `points` (the placed places) with the `involved` countries
 * highlighted. Memoised: the same places give the same view, computed once.
 */
export function mapView(points: LonLat[], involved: string[]): MapView {
  const extent = paddedExtent(points);
  const key = `${extent.join(',')}|${[...new Set(involved)].sort().join(',')}`;
  const cached = views.get(key);
  if (cached) return cached;
  const view = computeView(extent, new Set(involved));
  if (views.size >= 16) views.delete(views.keys().next().value!);
  views.set(key, view);
  return view;
}

/** [west, south, east, north], whole degrees, at least 10° each way, padded. */
function paddedExtent(points: LonLat[]): [number, number, number, number] {
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  let [w, e] = [Math.min(...lons), Math.max(...lons)];
  let [s, n] = [Math.min(...lats), Math.max(...lats)];
  const grow = (lo: number, hi: number, min: number): [number, number] => {
    const pad = Math.max((hi - lo) * 0.08, (min - (hi - lo)) / 2, 1);
    return [lo - pad, hi + pad];
  };
  [w, e] = grow(w, e, 10);
  [s, n] = grow(s, n, 10);
  return [Math.floor(w), Math.max(-89, Math.floor(s)), Math.ceil(e), Math.min(89, Math.ceil(n))];
}

function computeView([w, s, e, n]: [number, number, number, number], involved: Set<string>): MapView {
  const frame: MultiPoint = {
    type: 'MultiPoint',
    coordinates: [
      [w, s],
      [e, s],
      [w, n],
      [e, n],
      [(w + e) / 2, s],
      [(w + e) / 2, n],
    ],
  };
  const projection = geoConicEqualArea()
    .parallels([s + (n - s) / 6, n - (n - s) / 6])
    .rotate([-(w + e) / 2, 0]);
  // No adaptive resampling: at this scale the 1:50m vertices are dense enough, and it is 5× faster.
  projection.precision(0);
  projection.fitWidth(MAP_WIDTH - 2 * MARGIN, frame);
  const b = geoPath(projection).bounds(frame);
  const height = Math.round(Math.min(Math.max(b[1][1] - b[0][1] + 2 * MARGIN, 240), 560));
  projection.fitExtent(
    [
      [MARGIN, MARGIN],
      [MAP_WIDTH - MARGIN, height - MARGIN],
    ],
    frame,
  );
  projection.clipExtent([
    [0, 0],
    [MAP_WIDTH, height],
  ]);
  const out: MapView['countries'] = [];
  for (const [alpha2, numeric] of Object.entries(ISO_NUMERIC)) {
    // Only what can be in view (with a margin: the conic frame is wider than the extent).
    const fs = (countries().get(numeric) ?? []).filter((f) => {
      const [x0, y0, x1, y1] = f.box;
      return x1 >= w - 15 && x0 <= e + 15 && y1 >= s - 10 && y0 <= n + 10;
    });
    if (fs.length === 0) continue;
    const d = fs.map((f) => outline(projection, unpack(f))).join('');
    if (d) out.push({ code: alpha2, d, involved: involved.has(alpha2) });
  }
  // Involved countries last, so their borders draw over their neighbours'.
  out.sort((a, b) => Number(a.involved) - Number(b.involved) || byCodeUnits(a.code, b.code));
  return {
    width: MAP_WIDTH,
    height,
    countries: out,
    project: (p) => {
      const xy = projection(p);
      return xy ? [round1(xy[0]), round1(xy[1])] : null;
    },
  };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * SVG path data of a feature in whole user units, relative moves, points closer
 * than 1.5 units to the last kept one dropped, rings smaller than 3 units skipped.
 */
function outline(projection: GeoProjection, f: Feature): string {
  const rings: [number, number][][] = [];
  let ring: [number, number][] = [];
  const context: GeoContext = {
    beginPath() {},
    moveTo(x, y) {
      if (ring.length) rings.push(ring);
      ring = [[x, y]];
    },
    lineTo(x, y) {
      ring.push([x, y]);
    },
    closePath() {
      if (ring.length) rings.push(ring);
      ring = [];
    },
    arc() {},
  };
  geoPath(projection, context)(f);
  if (ring.length) rings.push(ring);
  let d = '';
  for (const r of rings) {
    const xs = r.map((p) => p[0]);
    const ys = r.map((p) => p[1]);
    if (Math.max(...xs) - Math.min(...xs) < 3 && Math.max(...ys) - Math.min(...ys) < 3) continue;
    const kept: [number, number][] = [];
    for (const [x, y] of r) {
      const last = kept[kept.length - 1];
      if (last && Math.hypot(x - last[0], y - last[1]) < 1.5) continue;
      kept.push([x, y]);
    }
    if (kept.length < 3) continue;
    let [px, py] = [Math.round(kept[0]![0]), Math.round(kept[0]![1])];
    d += `M${px} ${py}`;
    let first = true;
    for (const [x, y] of kept.slice(1)) {
      const [rx, ry] = [Math.round(x), Math.round(y)];
      if (rx === px && ry === py) continue;
      const [dx, dy] = [rx - px, ry - py];
      d += `${first ? 'l' : dx < 0 ? '' : ' '}${dx}${dy < 0 ? '' : ' '}${dy}`;
      first = false;
      [px, py] = [rx, ry];
    }
    d += 'z';
  }
  return d;
}
