// node --import tsx bench/scale-render.ts [n] — the CPU time of rendering each public
// output of n movements (default 1,000; the shape of bench:scale, generated in memory by
// bench/digest-content-data.ts): the page, feed and CSV per language, the JSON and HXL,
// and every route and timeline page in every language; median of 3, each on a fresh
// projection (nothing made for it yet). Figures: docs/benchmarks.md, "Crisis scale".
import { toPublicProjection } from '../src/domain/privacy.ts';
import { LANGUAGES } from '../src/i18n/index.ts';
import { publicRenderer, publicPageFormats } from '../src/public/render.ts';
import { createRenderer } from '../src/views.ts';
import { digestStates } from './digest-content-data.ts';
const n = Number(process.argv[2] ?? 1000);
const { snapshot } = digestStates(n);
const at = new Date('2026-03-05T12:00:00Z');
const p0 = toPublicProjection([snapshot], at);
const render = publicRenderer({ renderer: createRenderer(), baseUrl: 'http://x' });
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const formats = ['html', 'json', 'atom', 'csv', 'hxl', 'methodology'] as const;
render(p0, 'en', 'html', {});
const res: Record<string, number[]> = {};
for (let round = 0; round < 3; round++) {
  const p = structuredClone(p0); // a new projection: nothing made for it yet
  for (const f of formats)
    for (const l of f === 'json' || f === 'hxl' ? ['en' as const] : LANGUAGES) {
      const c0 = cpu();
      render(p, l, f, {});
      (res[f] ??= []).push(cpu() - c0);
    }
  const pages = publicPageFormats(p);
  const c0 = cpu();
  for (const l of LANGUAGES) for (const f of pages) render(p, l, f, {});
  (res[`${pages.length} pages x3`] ??= []).push(cpu() - c0);
}
const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
console.log(
  Object.entries(res)
    .map(([k, v]) => `${k} ${med(v).toFixed(0)}`)
    .join(', '),
);
