// Remembering what was worked out from a request header. Clients send few distinct
// values (one Accept-Language per browser build), so the answer is looked up rather
// than parsed on every request; long values are not kept and the map is bounded.
const MAX_KEYS = 1000;
const MAX_KEY_LENGTH = 200;

export function memoiseHeader<T>(compute: (header: string) => T): (header: string) => T {
  const known = new Map<string, T>();
  return (header) => {
    if (known.has(header)) return known.get(header) as T;
    const value = compute(header);
    if (header.length <= MAX_KEY_LENGTH) {
      if (known.size >= MAX_KEYS) known.clear();
      known.set(header, value);
    }
    return value;
  };
}
