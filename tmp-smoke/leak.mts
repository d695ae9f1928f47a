import { openDatabase } from '../src/store/database.ts';
import { sql } from 'drizzle-orm';
const d = await openDatabase({ kind: 'pglite', thread: process.env.T !== 'false' });
await d.rows(sql`create table t (id int primary key, v text)`);
const rss = () => Math.round(process.memoryUsage().rss / 1e6);
for (let round = 0; round < 8; round++) {
  for (let i = 0; i < 3000; i++) {
    await d.db.transaction(async (tx) => {
      await tx.execute(sql`insert into t values (${round * 100000 + i}, ${'x'.repeat(200)}) on conflict do nothing`);
      await tx.execute(sql`select * from t where id = ${i}`);
    });
  }
  const m = process.memoryUsage();
  console.log(`round ${round}: rss ${rss()} MB heap ${Math.round(m.heapUsed / 1e6)} ext ${Math.round(m.external / 1e6)} ab ${Math.round(m.arrayBuffers / 1e6)}`);
}
await d.close();
