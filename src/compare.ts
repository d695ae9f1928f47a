// Ordering of machine text: codes, ids, ISO dates. By UTF-16 code units, which for
// these (ASCII letters of one case, digits, '-', '/', ':') is the order
// `localeCompare` gave, without loading ICU's root collator: about 2.6 MB of
// node's pages, resident in every process for its life (docs/benchmarks.md,
// "Memory"). Words a reader sees are sorted with the reader's locale instead.

/** Negative, zero or positive as `a` sorts before, with or after `b`, code unit by code unit. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
