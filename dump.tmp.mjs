import { PGlite } from '@electric-sql/pglite';
import fs from 'node:fs';
const pg = new PGlite({ dataDir: '/tmp/pgl-a' });
await pg.waitReady;
const blob = await pg.dumpDataDir('none');
fs.writeFileSync('/tmp/pgl-a.tar', Buffer.from(await blob.arrayBuffer()));
await pg.close();
