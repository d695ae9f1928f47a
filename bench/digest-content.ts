// The digest's content at crisis scale, in memory (see bench/digest.ts --content).
// Each measure is run a few times and the median taken; CPU time (process.cpuUsage)
// is the figure to read on a loaded machine, wall time says what a quiet core would.
import { loadavg } from 'node:os';
import { buildDigestContent } from '../src/domain/digest/content.ts';
import { toPublicProjection } from '../src/domain/privacy.ts';
import { DIGEST_DAY, digestStates } from './digest-content-data.ts';

const RUNS = Number(process.env.BENCH_DIGEST_RUNS ?? 3);
const END = new Date(`${DIGEST_DAY}T19:00:00Z`); // end of the day in Asia/Almaty
const END_BEFORE = new Date(END.getTime() - 86_400_000);

type Time = { cpuMs: number; wallMs: number };

function timed(run: () => unknown): Time {
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    wall.push(performance.now() - t0);
    const d = process.cpuUsage(c0);
    cpu.push((d.user + d.system) / 1000);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { cpuMs: median(cpu), wallMs: median(wall) };
}

const fmt = (t: Time) => `${(t.cpuMs / 1000).toFixed(2)} s CPU / ${(t.wallMs / 1000).toFixed(2)} s wall`;

export function digestContentBench(sizes: number[]) {
  console.log(
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}; median of ${RUNS} runs`,
  );
  for (const n of sizes) {
    const states = digestStates(n);
    const one = timed(() => toPublicProjection(states.snapshot, END));
    const two = timed(() => {
      toPublicProjection(states.previousSnapshot, END_BEFORE);
      toPublicProjection(states.snapshot, END);
    });
    const digest = timed(() =>
      buildDigestContent({ ...states, day: DIGEST_DAY, now: new Date(END.getTime() + 3_600_000) }),
    );
    // In production the day before is already recorded (settled after it ended): the
    // digest's own audit is the day's, jointly with it (src/domain/digest/public-days.ts).
    const before = toPublicProjection(states.previousSnapshot, END_BEFORE).disclosure.releases[0]!;
    const previous = new Map([[before.operationId, [before]]]);
    const joint = timed(() => toPublicProjection(states.snapshot, END, { previous }));
    const p = toPublicProjection(states.snapshot, END).disclosure.operations[0]!;
    console.log(
      `${String(n).padStart(5)} movements (${p.cells} cells, ${p.withheld} withheld): digest content ${fmt(digest)}; ` +
        `one cold projection ${fmt(one)}; two cold projections (the old path's) ${fmt(two)}; ` +
        `the day jointly with the recorded day before ${fmt(joint)}; ` +
        `ratio digest / one cold ×${(digest.cpuMs / one.cpuMs).toFixed(2)} CPU, digest / two cold ×${(digest.cpuMs / two.cpuMs).toFixed(2)} CPU` +
        (n >= 5_000 ? (digest.cpuMs < 5_000 ? ' — target < 5 s CPU met' : ' — TARGET MISSED (5 s)') : ''),
    );
  }
  console.log(
    `load average at end: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
}
