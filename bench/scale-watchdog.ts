// The watchdog of `npm run bench:scale`: a PGlite run sometimes ended with exit code 13
// during a save, under load (node's "unsettled top-level await": the event loop emptied
// while a promise waited). While it watches, a timer holds the event loop, so such a wait
// can no longer end the process silently: a step that takes longer than
// BENCH_SCALE_STEP_LIMIT_MS (default 120 s) is reported with its name — the bench's stage,
// the build's calls to the worker still unanswered (read, project, render) and for how
// long, or that none is (a wait on this thread: the database, the ledger) — and the run
// ends with exit code 3.
import type { Projector } from '../src/public/projector.ts';

const LIMIT_MS = Number(process.env.BENCH_SCALE_STEP_LIMIT_MS ?? 120_000);

export function createWatchdog(stage: () => string) {
  const calls = new Map<number, { name: string; since: number }>();
  let next = 0;
  let stepSince = performance.now();
  let stepName = '';
  const describe = () => {
    const now = performance.now();
    const open = [...calls.values()].map((c) => `${c.name} ${Math.round(now - c.since)} ms`);
    return open.length
      ? `the worker has not answered: ${open.join(', ')}`
      : 'no call to the worker is waiting (a wait on this thread: the database or the ledger)';
  };
  const timer = setInterval(() => {
    if (performance.now() - stepSince < LIMIT_MS) return;
    console.error(`bench:scale: step "${stepName}" (${stage()}) hung for over ${LIMIT_MS} ms; ${describe()}`);
    process.exit(3);
  }, 1_000);

  /** Each call to the worker named and timed while it waits. */
  function traced<A extends unknown[], R>(name: string, f: (...a: A) => Promise<R>) {
    return async (...a: A): Promise<R> => {
      const id = next++;
      calls.set(id, { name, since: performance.now() });
      try {
        return await f(...a);
      } finally {
        calls.delete(id);
      }
    };
  }

  return {
    /** A new step starts (the clock of the limit restarts). */
    step(name: string) {
      stepName = name;
      stepSince = performance.now();
    },
    watch(p: Projector): Projector {
      return {
        ...p,
        ...(p.read ? { read: traced('read', p.read.bind(p)) } : {}),
        project: traced('project', p.project.bind(p)),
        ...(p.render ? { render: traced('render', p.render.bind(p)) } : {}),
        ...(p.renderEncoded ? { renderEncoded: traced('render', p.renderEncoded.bind(p)) } : {}),
        close: p.close.bind(p),
      };
    },
    stop: () => clearInterval(timer),
  };
}
