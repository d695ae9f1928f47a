/** Injected wherever "now" matters, so tests can fix the time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(
  at: Date | string,
): Clock & { set(d: Date | string): void; advance(ms: number): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set: (d) => {
      current = new Date(d);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

/**
 * Milliseconds on a monotonic clock, for durations and timeouts only (it does not
 * jump when the wall clock is set). The one other place allowed to read time.
 */
export const monotonicMs = (): number => performance.now();
