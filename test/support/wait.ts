// Waiting on the condition itself instead of sleeping: a fixed sleep is too short on a
// loaded machine (a flaky test) and wasted time on an idle one. `waitFor` asks again and
// again until the probe holds, and fails after a deadline naming what it waited for.
// (Inside an assertion, `expect.poll` does the same.)

export type WaitOptions = { timeoutMs?: number; intervalMs?: number };

/** Resolve with the probe's first value that is neither false, null nor undefined. */
export async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  { timeoutMs = 30_000, intervalMs = 25 }: WaitOptions = {},
): Promise<Exclude<T, false | null | undefined>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== false && value !== null && value !== undefined)
      return value as Exclude<T, false | null | undefined>;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Read until the value read passes `ok`; resolve with that value. */
export async function waitForValue<T>(
  what: string,
  read: () => T | Promise<T>,
  ok: (value: T) => boolean,
  options?: WaitOptions,
): Promise<T> {
  const found = await waitFor(
    what,
    async () => {
      const value = await read();
      return ok(value) ? { value } : undefined;
    },
    options,
  );
  return found.value;
}

/**
 * Let real time pass. Only where time passing is what the test is about (a database kept
 * down for a while, nothing more happening over several job intervals), never to wait for
 * something to happen: use `waitFor` for that.
 */
export const holdFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
