// node --import tsx bench/scale-incremental.ts [n] [saves] — the CPU time of the public
// projection after a save, in memory (the shape of bench:scale: bench/digest-content-data.ts):
// one cold projection, then `saves` saves in a row, each one movement's registered and
// departed figures changed, each projected incrementally (the previous release, the audit's
// cache) as the worker does after a save. Prints the CPU per save (median) and the audit's
// counters. Run under `node --cpu-prof` to see where the time goes. Figures:
// docs/benchmarks.md, "Crisis scale".
import { createAuditCache } from '../src/domain/disclosure.ts';
import { type PublicProjection, toPublicProjection } from '../src/domain/privacy.ts';
import type { Snapshot } from '../src/domain/snapshot.ts';
import { counts } from '../test/support/snapshots.ts';
import { digestStates } from './digest-content-data.ts';

const n = Number(process.argv[2] ?? 1000);
const saves = Number(process.argv[3] ?? 7);
const { snapshot } = digestStates(n);
const at = new Date('2026-03-05T12:00:00Z');
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const cache = createAuditCache();
let c0 = cpu();
let previous: PublicProjection = toPublicProjection([snapshot], at, { cache });
console.log(`${n} movements: cold ${(cpu() - c0).toFixed(0)} ms CPU`);
const releases = (p: PublicProjection) => new Map(p.disclosure.releases.map((r) => [r.operationId, r]));
const moved = snapshot.routes.flatMap((r) => r.movements).filter((m) => m.departedAt !== null);
const times: number[] = [];
let current: Snapshot = snapshot;
for (let i = 0; i < saves; i++) {
  const target = moved[Math.floor(((i + 0.5) * moved.length) / saves)]!;
  const value = 7000 + i;
  current = {
    ...current,
    routes: current.routes.map((r) => ({
      ...r,
      movements: r.movements.map((m) =>
        m.id === target.id
          ? { ...m, counts: counts({ registered: { total: value }, departed: { total: value } }) }
          : m,
      ),
    })),
  };
  c0 = cpu();
  const p = toPublicProjection([current], at, { cache, previous: releases(previous) });
  const ms = cpu() - c0;
  times.push(ms);
  const d = p.disclosure.operations[0]!;
  console.log(
    `save ${i + 1}: ${ms.toFixed(0)} ms CPU, ok ${d.ok}, withheld ${d.withheld} of ${d.cells}, audit ${JSON.stringify(d.audit)}`,
  );
  previous = p;
}
const med = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
console.log(`${n} movements: projection after a save, median ${med.toFixed(0)} ms CPU`);
