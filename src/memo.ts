// Remembering what was worked out from a request header. Clients send few distinct
// values (one Accept-Language per browser build), so the answer is looked up rather
// than parsed on every request; long values are not kept and the map is bounded.
// And (memoised) the same for a pure function of few distinct inputs (a language's
// name, a day's bounds in a zone), worked out thousands of times per public build.
const MAX_KEYS = 1000;
const MAX_KEY_LENGTH = 200;

export function memoiseHeader<T>(compute: (header: string) => T): (header: string) => T {
  return memoised(MAX_KEYS, compute, MAX_KEY_LENGTH);
}

/**
 * `compute` remembered by key, for a pure function of few distinct keys: at most `max`
 * are kept (the map is emptied when full, so a key space larger than expected costs a
 * recompute, never unbounded memory); keys longer than `maxKeyLength` are not kept.
 */
export function memoised<V>(
  max: number,
  compute: (key: string) => V,
  maxKeyLength = Infinity,
): (key: string) => V {
  const known = new Map<string, V>();
  return (key) => {
    const found = known.get(key);
    if (found !== undefined || known.has(key)) return found as V;
    const value = compute(key);
    if (key.length <= maxKeyLength) {
      if (known.size >= max) known.clear();
      known.set(key, value);
    }
    return value;
  };
}
