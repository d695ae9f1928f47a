import { toPublicProjection } from '../src/domain/privacy.ts';
import { publicRenderer } from '../src/public/render.ts';
import { createRenderer } from '../src/views.ts';
import { presentStatusPage } from '../src/presenters/status-page.ts';
import { digestStates } from './digest-content-data.ts';
const n = Number(process.argv[2] ?? 1000);
const what = process.argv[3] ?? 'html';
const { snapshot } = digestStates(n);
const at = new Date('2026-03-05T12:00:00Z');
const p = toPublicProjection([snapshot], at);
const renderer = createRenderer();
const render = publicRenderer({ renderer, baseUrl: 'http://x' });
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
for (let i = 0; i < 4; i++) {
  const c0 = cpu();
  if (what === 'present') presentStatusPage(p, 'kk', { baseUrl: 'http://x' });
  else if (what === 'hbs') { const v = presentStatusPage(p, 'kk', { baseUrl: 'http://x' }); const c = cpu(); renderer.render('public/status', v); console.log('hbs only', (cpu() - c).toFixed(1)); }
  else render(p, 'kk', what as 'html', {});
  console.log(what, (cpu() - c0).toFixed(1));
}
