import { PGlite } from '@electric-sql/pglite';
const dir = process.argv[2]; const im = Number(process.argv[3]||0);
const mb = (x) => Math.round(x/1048576);
const t0 = Date.now();
const pg = new PGlite({ dataDir: dir, ...(im? {initialMemory: im*1048576}:{}) });
await pg.waitReady;
const m = process.memoryUsage();
console.log('im', im, 'ready', Date.now()-t0, 'ms rss', mb(m.rss), 'maxrss', mb(process.resourceUsage().maxRSS*1024));
await pg.close();
