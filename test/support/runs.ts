// How many cases a property test tries. The full run (`npm test`, CI) tries the full count;
// the fast loop (`npm run test:fast`, which sets CORRIDOR_FAST_LOOP=1) tries a tenth of it,
// at least 5, so that it still catches a broken property within the minute it promises.
// An explicit count (e.g. FUZZ_RUNS for a long fuzzing session) always wins.

/** Whether this run is the fast loop (package.json's test:fast sets the variable). */
export const fastLoop = process.env.CORRIDOR_FAST_LOOP === '1';

/** `full` in the full run, `full / 10` (at least 5) in the fast loop; `explicit` if given. */
export function propertyRuns(full: number, explicit?: string): number {
  if (explicit) return Number(explicit);
  return fastLoop ? Math.max(5, Math.ceil(full / 10)) : full;
}
