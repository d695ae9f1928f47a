// A full disk must look like a full disk: "Nothing was saved" (503) and
// /readyz `disk_full` — never a 500 or a hang.
//
// On PostgreSQL the server refuses the write (SQLSTATE 53100) and stays up; we
// map that error and remember it for /readyz. The embedded database cannot be
// allowed to reach that point: PGlite, once a WAL write fails for lack of
// space, spins inside WebAssembly on the next statement and the whole process
// stops answering. So on PGlite every write is refused up front while the data
// folder's disk has less than a reserve free (checked with statfs, at most a few
// times a second), which leaves room for the WAL segment a write may need.
import fs from 'node:fs';
import { AppError } from '../errors.ts';
import { monotonicMs } from '../clock.ts';

export const DISK_FULL_MESSAGE = "The server's disk is full. Nothing was saved; please try again shortly.";

export const diskFullError = () => new AppError('disk_full', DISK_FULL_MESSAGE);

export interface DiskWatch {
  /** Throws a disk_full AppError when a write must not be attempted now. */
  guardWrite(): void;
  /** For /readyz: whether writes are being refused, and the free space measured. */
  status(): { full: boolean; freeMb: number | null };
  /** A write was refused for lack of space (PostgreSQL's 53100): report it for a while. */
  noteFull(): void;
}

export function createDiskWatch(options: { dir?: string; reserveMb: number; recentMs?: number }): DiskWatch {
  const reserve = options.reserveMb * 1024 * 1024;
  const recentMs = options.recentMs ?? 60_000;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let free: number | null = null;
  // Never noted yet: -Infinity, as monotonic time starts near 0 with the process.
  let fullNotedAt = Number.NEGATIVE_INFINITY;
  const measure = () => {
    if (!options.dir || monotonicMs() - checkedAt < 250) return;
    checkedAt = monotonicMs();
    try {
      const s = fs.statfsSync(options.dir);
      free = s.bavail * s.bsize;
    } catch {
      free = null;
    }
  };
  const full = () => {
    measure();
    return (free !== null && free < reserve) || monotonicMs() - fullNotedAt < recentMs;
  };
  return {
    guardWrite() {
      measure();
      if (free !== null && free < reserve) throw diskFullError();
    },
    status: () => ({ full: full(), freeMb: free === null ? null : Math.floor(free / 1024 / 1024) }),
    noteFull() {
      fullNotedAt = monotonicMs();
    },
  };
}

/** Statements that write: guarded on PGlite (a transaction's reads go on). */
export const WRITE_STATEMENT = /^\s*(insert|update|delete|create|alter|drop|truncate|copy|vacuum)\b/i;
