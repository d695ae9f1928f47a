import { toPublicProjection } from '../src/domain/privacy.ts';
import { LANGUAGES } from '../src/i18n/index.ts';
import { publicRenderer, publicPageFormats } from '../src/public/render.ts';
import { contentChangedAt } from '../src/public/last-modified.ts';
import { createRenderer } from '../src/views.ts';
import { digestStates } from './digest-content-data.ts';
const n = Number(process.argv[2] ?? 1000);
const { snapshot } = digestStates(n);
const at = new Date('2026-03-05T12:00:00Z');
const p = toPublicProjection([snapshot], at);
const render = publicRenderer({ renderer: createRenderer(), baseUrl: 'http://x' });
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const formats = ['html', 'json', 'atom', 'csv', 'hxl', 'methodology'] as const;
for (let round = 0; round < 3; round++) {
  const rows: string[] = [];
  for (const f of formats) for (const l of f === 'json' || f === 'hxl' ? ['en' as const] : LANGUAGES) {
    const c0 = cpu(); const r = render(p, l, f, {}); const c1 = cpu();
    contentChangedAt(p, f, at); const c2 = cpu();
    rows.push(`${l}:${f} render ${(c1 - c0).toFixed(1)} date ${(c2 - c1).toFixed(1)} size ${(r.body.length / 1024).toFixed(0)}KB`);
  }
  const pages = publicPageFormats(p);
  const c0 = cpu(); for (const f of pages) render(p, 'en', f, {}); const c1 = cpu();
  rows.push(`en: ${pages.length} pages ${(c1 - c0).toFixed(1)}`);
  if (round === 2) console.log(rows.join('\n'));
}
