// This process's view of the disclosure ledger (src/store/repositories/disclosure.ts):
// the states every process published and the values they printed, which each new
// public state — the live page's, an as-of day's end, the digest's day (which is an
// as-of day's end: src/domain/digest/public-days.ts) — is audited with before it is
// served (docs/privacy.md, "Across processes"). The printed values are read by id, so
// a build reads only what was added since the last; a release is parsed once per seq.
import { type DisclosureMemory, type PrintedValues, type Release, newlyPrinted } from './disclosure.ts';
import type { Database } from '../store/database.ts';
import {
  listReleasePoints,
  readPrintedSince,
  readReleaseTexts,
  recordPublication,
} from '../store/repositories/disclosure.ts';

export const LIVE = 'live';

/**
 * A day end whose joint audit was refused (docs/privacy.md, "A refused day end"): its point
 * is recorded with, as its release, the state it shows — the last day that passed, already
 * public — and this: the day and a SHA-256 of its own figure input's text. A reload that
 * finds the same figures and the same day before shows it again without auditing it.
 */
export type Refusal = { day: string; figures: string };

export type StoredRelease = {
  point: string;
  seq: number;
  /** The stored text: the release's JSON, with `refused` after it for a refused day. */
  text: string;
  /** What the point shows (for a refused day: the last day that passed, without `refused`). */
  release: Release;
  refused?: Refusal;
};

/** The text a point is stored as. */
export function storedText(release: Release, refused?: Refusal): string {
  return JSON.stringify(refused ? { ...release, refused } : release);
}

function parseStored(point: string, seq: number, text: string): StoredRelease {
  const parsed = JSON.parse(text) as Release & { refused?: Refusal };
  if (parsed.refused === undefined) return { point, seq, text, release: parsed };
  const { refused, ...release } = parsed;
  return { point, seq, text, release, refused };
}

/** What one operation's new states are audited with, read at `version`. */
export type Held = {
  operationId: number;
  version: number;
  live?: StoredRelease;
  /** The latest as-of day's end recorded. */
  lastDay?: StoredRelease;
  /** Every day point recorded, with its seq. */
  days: Map<string, number>;
};

/**
 * A state to record. Where it was made (the projection worker), its JSON text and the
 * values it prints may come with it, so the server's thread neither reads the release
 * back nor builds its table again; the release itself may then be read only when needed.
 */
export type NewState = {
  point: string;
  release: Release | (() => Release);
  text?: string;
  printed?: PrintedValues;
  /** A refused day end: `release` is the state it shows (the last day that passed). */
  refused?: Refusal;
};

const releaseOf = (s: { release: Release | (() => Release) }) =>
  typeof s.release === 'function' ? s.release() : s.release;

export class DisclosureLedger {
  /** Every exact value printed, per operation (read, never changed, by the audit). */
  readonly memory = new Map<number, DisclosureMemory>();
  private through = 0;
  private readonly parsed = new Map<string, StoredRelease>();

  constructor(private readonly database: Database) {}

  /** Reads the values printed since the last read. */
  async sync(): Promise<void> {
    const rows = await readPrintedSince(this.database, this.through);
    for (const r of rows) {
      let m = this.memory.get(r.operationId);
      if (!m) this.memory.set(r.operationId, (m = new Map<string, number[]>()));
      const list = m.get(r.cell);
      if (!list) m.set(r.cell, [r.value]);
      else if (!list.includes(r.value)) list.push(r.value);
      this.through = Math.max(this.through, r.id);
    }
  }

  /** The recorded states of these operations (the live one and the latest day), then the memory. */
  async held(operationIds: number[]): Promise<Map<number, Held>> {
    const points = await listReleasePoints(this.database, operationIds);
    const out = new Map<number, Held>();
    for (const id of operationIds) out.set(id, { operationId: id, version: 0, days: new Map() });
    const want = new Map<number, { point: string; seq: number }[]>();
    for (const p of points) {
      const h = out.get(p.operationId)!;
      h.version += p.seq;
      if (p.point !== LIVE) h.days.set(p.point, p.seq);
    }
    for (const h of out.values()) {
      const live = points.find((p) => p.operationId === h.operationId && p.point === LIVE);
      const lastDay = [...h.days.keys()].sort().pop();
      want.set(h.operationId, [
        ...(live ? [live] : []),
        ...(lastDay ? [{ point: lastDay, seq: h.days.get(lastDay)! }] : []),
      ]);
    }
    for (const [id, list] of want) {
      const releases = await this.releases(id, list);
      const h = out.get(id)!;
      h.live = releases.get(LIVE);
      const lastDay = [...h.days.keys()].sort().pop();
      h.lastDay = lastDay ? releases.get(lastDay) : undefined;
    }
    // After the points: the values of every state counted in the version are in.
    await this.sync();
    return out;
  }

  /** The releases of these points at these seqs (parsed once each). */
  async releases(
    operationId: number,
    points: { point: string; seq: number }[],
  ): Promise<Map<string, StoredRelease>> {
    const out = new Map<string, StoredRelease>();
    const missing: string[] = [];
    for (const p of points) {
      const hit = this.parsed.get(`${operationId}@${p.point}`);
      if (hit && hit.seq === p.seq) out.set(p.point, hit);
      else missing.push(p.point);
    }
    const texts = await readReleaseTexts(this.database, operationId, missing);
    for (const [point, t] of texts) {
      const stored = parseStored(point, t.seq, t.text);
      this.parsed.set(`${operationId}@${point}`, stored);
      out.set(point, stored);
    }
    return out;
  }

  /**
   * Records new states of one operation audited at `version` (a state a reader already
   * holds is not new: it is skipped). False: the version moved on, audit again.
   */
  async record(held: Held, states: NewState[]): Promise<boolean> {
    const known = new Set([held.live?.text, held.lastDay?.text]);
    const fresh = states
      .map((s) => ({ ...s, text: s.text ?? storedText(releaseOf(s), s.refused) }))
      .filter((s) => !known.has(s.text));
    if (fresh.length === 0) return true;
    const memory = this.memory.get(held.operationId);
    const printed = new Map<string, { cell: string; value: number }>();
    for (const s of fresh)
      for (const v of newlyPrinted(memory, releaseOf(s), s.printed)) printed.set(`${v.cell}=${v.value}`, v);
    const outcome = await recordPublication(this.database, {
      operationId: held.operationId,
      version: held.version,
      releases: fresh.map((s) => ({ point: s.point, text: s.text })),
      printed: [...printed.values()],
    });
    if (outcome.outcome === 'stale') return false;
    // What this process wrote, it need not read back.
    for (const f of fresh) {
      const seq = outcome.seqs.get(f.point)!;
      const stored = {
        point: f.point,
        seq,
        text: f.text,
        ...(f.refused && { refused: f.refused }),
      } as StoredRelease;
      // Read when a later build is audited with it (a worker's own copy usually serves).
      Object.defineProperty(stored, 'release', { enumerable: true, get: () => releaseOf(f) });
      this.parsed.set(`${held.operationId}@${f.point}`, stored);
    }
    return true;
  }
}
