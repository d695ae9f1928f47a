import { PGlite } from '@electric-sql/pglite';
process.on('unhandledRejection', (e) => console.log('UNHANDLED', String(e)));
try {
  const pg = new PGlite({ dataDir: process.argv[2] });
  await pg.waitReady;
  console.log('ready?!', (await pg.query('select 1')).rows);
} catch (e) { console.log('CAUGHT', e?.constructor?.name, String(e).slice(0,200)); }
