// Files written under a temporary name and renamed when complete (outbox
// messages, published public files, backups) leave a `.tmp` behind when the
// process dies mid-write or the disk fills. At start they are removed — only
// those older than a few minutes, since another process may be writing its own.
import fs from 'node:fs';
import path from 'node:path';
import { systemClock } from '../clock.ts';

export function removeStaleTmpFiles(dirs: (string | undefined)[], olderThanMs = 5 * 60_000): number {
  let removed = 0;
  const cutoff = systemClock.now().getTime() - olderThanMs;
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // absent or unreadable: nothing to clean
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory() && depth < 2) walk(full, depth + 1);
      else if (e.isFile() && /\.(tmp|partial)$/.test(e.name)) {
        try {
          if (fs.statSync(full).mtimeMs < cutoff) {
            fs.rmSync(full, { force: true });
            removed++;
          }
        } catch {
          // gone meanwhile
        }
      }
    }
  };
  for (const dir of dirs) if (dir) walk(dir, 0);
  return removed;
}
