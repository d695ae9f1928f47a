// The digest's pair (end of D−1, then D audited jointly with it) on bench/digest-content-data.ts
// at BENCH_MOVEMENTS for each seed of BENCH_SEEDS: passed or refused, cells withheld, CPU.
import { createAuditCache } from '../src/domain/disclosure.ts';
import { toPublicProjection } from '../src/domain/privacy.ts';
import { DIGEST_DAY, digestStates } from './digest-content-data.ts';

const N = Number(process.env.BENCH_MOVEMENTS ?? 2_000);
const SEEDS = (process.env.BENCH_SEEDS ?? '1,2,3,4,5').split(',').map(Number);
for (const seed of SEEDS) {
  const { snapshot: day, previousSnapshot: dayBefore } = digestStates(N, seed);
  const end = new Date(`${DIGEST_DAY}T19:00:00Z`);
  const cache = createAuditCache({ memo: false });
  const u0 = process.cpuUsage();
  const before = toPublicProjection(dayBefore, new Date(end.getTime() - 86_400_000), { cache });
  const u1 = process.cpuUsage();
  const r = before.disclosure.releases[0]!;
  const joint = toPublicProjection(day, end, { previous: new Map([[r.operationId, [r]]]), cache });
  const u2 = process.cpuUsage();
  const ms = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) =>
    Math.round((b.user - a.user + b.system - a.system) / 1000);
  const o = joint.disclosure.operations[0]!;
  console.log(
    JSON.stringify({
      n: N,
      seed,
      beforeOk: before.disclosure.ok,
      beforeCpuMs: ms(u0, u1),
      ok: o.ok,
      withheld: o.withheld,
      cpuMs: ms(u1, u2),
      failures: o.failures.slice(0, 2),
    }),
  );
}
