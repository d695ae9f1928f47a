// Geometry of a route's inline-SVG diagram: stops top to bottom, one segment per
// leg with its mode and, on a border, the crossing status (in words and shape,
// not colour alone). A leg that does not start where the last one ended (two
// flights out of Dubai) starts a new branch. The template only draws it.
import type { PublicLeg } from '../domain/privacy.ts';
import { type Lang, localized, t } from '../i18n/index.ts';

const STEP = 66;
const GAP = 22;
const TOP = 18;

const CROSSING_CLASS = {
  open: 'x-open',
  restricted: 'x-restricted',
  closed: 'x-closed',
  unknown: 'x-unknown',
};

export function routeDiagram(lang: Lang, legs: PublicLeg[]) {
  const stops: { y: number; textY: number; name: string }[] = [];
  const segments: {
    y1: number;
    y2: number;
    labelY: number;
    crossingY: number;
    label: string;
    dashed: boolean;
    crossing: { points: string; cls: string; label: string } | null;
  }[] = [];
  const summary: string[] = [];
  let y = TOP;
  let previous: string | null = null;
  for (const leg of legs) {
    const from = localized(leg.from.names, lang);
    const to = localized(leg.to.names, lang);
    if (leg.from.slug !== previous) {
      if (previous !== null) y += GAP;
      stops.push({ y, textY: y + 5, name: from });
    }
    const y1 = y;
    y += STEP;
    stops.push({ y, textY: y + 5, name: to });
    const mode = t(lang, `mode.${leg.mode}`);
    const status = leg.crossesBorder ? (leg.crossingStatus ?? 'unknown') : null;
    const crossingLabel = status ? t(lang, `crossing.${status}`) : null;
    const mid = (y1 + y) / 2;
    segments.push({
      y1: y1 + 8,
      y2: y - 8,
      labelY: crossingLabel ? mid - 3 : mid + 5,
      crossingY: mid + 15,
      label: mode,
      dashed: leg.mode === 'flight',
      crossing: status
        ? {
            points: `20,${mid - 7} 27,${mid} 20,${mid + 7} 13,${mid}`,
            cls: CROSSING_CLASS[status],
            label: crossingLabel!,
          }
        : null,
    });
    summary.push(crossingLabel ? `${from} → ${to}: ${mode}, ${crossingLabel}` : `${from} → ${to}: ${mode}`);
    previous = leg.to.slug;
  }
  return { height: y + TOP, stops, segments, summary: summary.join('; ') };
}
