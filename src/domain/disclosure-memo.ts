// A bounded memo of whole disclosure outcomes (docs/privacy.md, "The outcome memo").
//
// Why: the as-of service reads every operation's history again after any change signal
// and rebuilds each day chain, so a day whose joint audit is refused was audited again
// from scratch after every staff save — a notice, a note — up to tens of seconds of CPU
// at 1,000–2,000 movements, on the server's thread, before the next `?asOf=` answer. The
// audit cache (disclosure-audit.ts) remembers local programs, but a refused state also
// runs every suppression step again (disclosure-joint.ts), each with its own repairs.
//
// What it keys: everything `discloseOperation` reads — the operation, the figure input's
// text, each held release's text in order, whether it re-audits, and the printed values
// of the memory that can matter (those within 1 … k−1 of a current cell's value, in the
// memory's order: the only ones that make items, disclosure-time.ts `memoryItems`). The
// threshold and every setting the audit reads are in the input. A change to any of them
// is another key. A hit returns what the first audit of that key returned, as a fresh
// copy (test/unit/disclosure-memo.test.ts compares a hit with a fresh audit).
//
// One subtlety: the audit cache of the process can prove a value with a witness found in
// an earlier audit, so two audits of the same key in one process could, in principle,
// differ (a later one finding a witness the bounded search alone would not). The memo
// makes the first outcome of a key the outcome of that key in this process; the audit
// is exact either way (every witness is checked; a refusal is never a leak).
import { createHash } from 'node:crypto';
import type { AuditCache, AuditResult } from './disclosure-audit.ts';
import type { WithholdCause } from './disclosure-suppress.ts';
import type { Display, Table } from './disclosure-table.ts';
import type { DisclosureMemory } from './disclosure-time.ts';

/** What a memo entry keeps of an outcome (the table and the release are rebuilt from the input). */
export type MemoOutcome = {
  ok: boolean;
  hidden: [string, Display][];
  audit: AuditResult;
  withheld: number;
  withheldBy: Partial<Record<WithholdCause, number>>;
  rounds: number;
};

export type MemoLimits = {
  /** Outcomes kept at most (the least recently used goes first). */
  entries: number;
  /** Their estimated size, in bytes, at most. */
  bytes: number;
};

export type MemoStats = { hits: number; misses: number; entries: number; bytes: number; evicted: number };

/**
 * A few operations' refused days and a worker's last builds. An outcome is tens of KB at
 * 1,000–5,000 movements (its display, its failures); an entry that rarely hits (each live
 * save is a new input) should not hold a worker's memory.
 */
const DEFAULT_LIMITS: MemoLimits = { entries: 64, bytes: 4 * 1024 * 1024 };

export class DisclosureMemo {
  private readonly outcomes = new Map<string, { outcome: MemoOutcome; size: number }>();
  private readonly counts = { hits: 0, misses: 0, bytes: 0, evicted: 0 };

  constructor(private readonly limits: MemoLimits = DEFAULT_LIMITS) {}

  get(key: string): MemoOutcome | undefined {
    const hit = this.outcomes.get(key);
    if (!hit) {
      this.counts.misses++;
      return undefined;
    }
    this.counts.hits++;
    // Least recently used last out: a hit moves to the end.
    this.outcomes.delete(key);
    this.outcomes.set(key, hit);
    return copy(hit.outcome);
  }

  set(key: string, outcome: MemoOutcome): void {
    const size = sizeOf(outcome);
    if (size > this.limits.bytes) return;
    const old = this.outcomes.get(key);
    if (old) {
      this.counts.bytes -= old.size;
      this.outcomes.delete(key);
    }
    this.outcomes.set(key, { outcome: copy(outcome), size });
    this.counts.bytes += size;
    for (const [k, v] of this.outcomes) {
      if (this.outcomes.size <= this.limits.entries && this.counts.bytes <= this.limits.bytes) break;
      this.outcomes.delete(k);
      this.counts.bytes -= v.size;
      this.counts.evicted++;
    }
  }

  stats(): MemoStats {
    return { ...this.counts, entries: this.outcomes.size };
  }

  clear(): void {
    this.outcomes.clear();
    this.counts.bytes = 0;
  }
}

/** Callers may keep what they get: every array and map is the entry's own copy. */
function copy(o: MemoOutcome): MemoOutcome {
  return {
    ok: o.ok,
    hidden: o.hidden.map(([id, d]) => [id, d]),
    audit: {
      ok: o.audit.ok,
      failures: o.audit.failures.map((f) => ({ ...f, component: [...f.component] })),
      stats: { ...o.audit.stats },
    },
    withheld: o.withheld,
    withheldBy: { ...o.withheldBy },
    rounds: o.rounds,
  };
}

/** An estimate: ids are a dozen characters, an array slot 8 bytes, an object a few dozen. */
function sizeOf(o: MemoOutcome): number {
  let n = 200 + o.hidden.length * 64;
  for (const f of o.audit.failures) n += 96 + f.component.length * 8;
  return n;
}

const digests = new WeakMap<object, string>();

/** The SHA-256 of a release's JSON text, made once per object (a chain meets the same held release every day). */
export function digestOf(release: object): string {
  let d = digests.get(release);
  if (d === undefined) {
    d = createHash('sha256').update(JSON.stringify(release)).digest('hex');
    digests.set(release, d);
  }
  return d;
}

/**
 * The memo key of one `discloseOperation` call: a SHA-256 of every part, each part
 * length-prefixed (so no two lists of parts give the same bytes). A held release counts
 * by its own digest (releases are values: never changed once made).
 */
export function memoKey(parts: {
  operationId: number;
  /** The figure input's JSON text. */
  input: string;
  table: Table;
  held: readonly object[];
  memory: DisclosureMemory | undefined;
  reaudit: boolean;
  /** Audited with the wide engine (its searches can prove what the dense one cannot). */
  engine?: boolean;
}): string {
  const h = createHash('sha256');
  const put = (s: string) => h.update(`${s.length}:`).update(s);
  put('disclosure-memo/1');
  put(String(parts.operationId));
  put(parts.reaudit ? 'reaudit' : 'audit');
  if (parts.engine) put('highs');
  put(parts.input);
  put(String(parts.held.length));
  for (const r of parts.held) put(digestOf(r));
  put(relevantMemory(parts.table, parts.memory));
  return h.digest('hex');
}

/**
 * The printed values that can make a protected item of this table (disclosure-time.ts,
 * `memoryItems`): per current cell, in table order, the values within 1 … k−1 of its
 * value, in the memory's order (the items' order follows it). Any other printed value
 * changes nothing the audit does.
 */
export function relevantMemory(table: Table, memory: DisclosureMemory | undefined): string {
  if (!memory || memory.size === 0 || table.k <= 1) return '';
  const k = table.k;
  let out = '';
  // The current table's own cells (past `p:` cells are only in a joint table).
  for (const c of table.cells.values()) {
    if (c.derived) continue;
    const past = memory.get(c.id);
    if (!past) continue;
    let near = '';
    for (const u of past) {
      const diff = c.value > u ? c.value - u : u - c.value;
      if (diff >= 1 && diff <= k - 1) near += near ? `,${u}` : `${c.id}=${u}`;
    }
    if (near) out += out ? `;${near}` : near;
  }
  return out;
}

const attached = new WeakMap<AuditCache, DisclosureMemo>();

/** The memo whole outcomes are kept in alongside this audit cache (none: not memoised). */
export function memoOf(cache: AuditCache | undefined): DisclosureMemo | undefined {
  return cache && attached.get(cache);
}

/**
 * A cache of local programs (disclosure-audit.ts), and with it a memo of whole outcomes:
 * its own by default, `memo` to share one (the as-of answers and the digest), false for none.
 */
export function createAuditCache(o: { memo?: DisclosureMemo | false } = {}): AuditCache {
  const cache: AuditCache = new Map();
  if (o.memo !== false) attached.set(cache, o.memo ?? new DisclosureMemo());
  return cache;
}

let shared: DisclosureMemo | undefined;

/** The memo of this process (the as-of answers and the digest's days share what they audit). */
export function sharedDisclosureMemo(): DisclosureMemo {
  return (shared ??= new DisclosureMemo());
}
