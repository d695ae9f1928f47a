import { toPublicProjection } from '../src/domain/privacy.ts';
import { publicRenderer, publicPageFormats } from '../src/public/render.ts';
import { createRenderer } from '../src/views.ts';
import { digestStates } from './digest-content-data.ts';
const { snapshot } = digestStates(Number(process.argv[2] ?? 1000));
const p = toPublicProjection([snapshot], new Date('2026-03-05T12:00:00Z'));
const render = publicRenderer({ renderer: createRenderer(), baseUrl: 'http://x' });
const pages = publicPageFormats(p);
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
for (let i = 0; i < 3; i++) {
  const t: Record<string, number> = {};
  for (const f of pages) { const c0 = cpu(); render(p, 'en', f, {}); const k = f.startsWith('timeline') ? 'timeline' : 'route'; t[k] = (t[k] ?? 0) + cpu() - c0; }
  console.log(JSON.stringify(t), pages.filter(f=>f.startsWith('timeline')).length);
}
