// Geometry of the "arrived home per day" bar chart (inline SVG). The same
// figures go into a table beside it, for screen readers and print.
import type { PublicFigure } from '../domain/privacy.ts';
import type { Lang } from '../i18n/index.ts';
import { figureText, formatShortDay } from './public-format.ts';

const WIDTH = 400;
const HEIGHT = 200;
const PAD_TOP = 24;
const PAD_BOTTOM = 34;
const PAD_X = 8;

export function arrivalsChart(lang: Lang, days: { day: string; arrived: PublicFigure }[]) {
  if (days.length === 0) return null;
  const values = days.map((d) => (d.arrived.kind === 'value' ? d.arrived.value : 0));
  const max = Math.max(1, ...values);
  const plot = HEIGHT - PAD_TOP - PAD_BOTTOM;
  const slot = (WIDTH - 2 * PAD_X) / days.length;
  const barWidth = Math.max(2, Math.min(48, slot * 0.7));
  const labelEvery = Math.ceil(days.length / 6);
  const bars = days.map((d, i) => {
    const x = PAD_X + i * slot + (slot - barWidth) / 2;
    const cx = x + barWidth / 2;
    const hidden = d.arrived.kind === 'fewer_than' || d.arrived.kind === 'withheld';
    // A figure shown as "fewer than k" gets a token bar: its height must not tell more.
    const h = d.arrived.kind === 'value' ? (d.arrived.value / max) * plot : hidden ? 3 : 0;
    return {
      x: round(x),
      y: round(HEIGHT - PAD_BOTTOM - h),
      width: round(barWidth),
      height: round(h),
      hidden,
      cx: round(cx),
      valueY: round(HEIGHT - PAD_BOTTOM - h - 6),
      value: days.length <= 10 ? shortFigure(lang, d.arrived) : '',
      dayLabel: i % labelEvery === 0 || i === days.length - 1 ? formatShortDay(lang, d.day) : '',
      dayY: HEIGHT - PAD_BOTTOM + 18,
    };
  });
  return { width: WIDTH, height: HEIGHT, baseline: HEIGHT - PAD_BOTTOM, bars };
}

function shortFigure(lang: Lang, f: PublicFigure): string {
  if (f.kind === 'fewer_than') return `<${f.threshold}`;
  if (f.kind === 'withheld') return '×';
  return figureText(lang, f);
}

const round = (n: number) => Math.round(n * 10) / 10;
