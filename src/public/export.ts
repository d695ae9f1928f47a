// Publishing the public outputs as files (PUBLIC_EXPORT_DIR), for nginx to serve
// as static files (deploy/nginx.conf) — the cheapest answer a web server has, and
// one that keeps answering while every app process restarts. Each build of the
// public cache is written out whole: every output of src/public/urls.ts in every language,
// at the path of its URL, each beside its .gz (nginx's gzip_static).
//
// Files are written to a temporary name and renamed, so nginx never reads half a
// file; their mtime is the rendition's Last-Modified, so nginx's validators follow
// the content. Several app processes may publish to one folder: they write the same
// bytes for the same figures, and each writes again after every change it hears of.
import fs from 'node:fs/promises';
import path from 'node:path';
import { LANGUAGES, type Lang } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import type { PublicFormat } from './cache.ts';
import type { Rendition } from './rendition.ts';
import { ROBOTS_PATH, robotsRendition } from './robots.ts';
import { NEUTRAL_LANG, PUBLIC_OUTPUTS, publicFile } from './urls.ts';

/** Where each output goes, relative to the folder: its URL's path (src/public/urls.ts). */
export const EXPORT_FILES: readonly { lang: Lang; format: PublicFormat; file: string }[] =
  PUBLIC_OUTPUTS.flatMap((output) =>
    (output.perLanguage ? LANGUAGES : [NEUTRAL_LANG]).map((lang) => ({
      lang,
      format: output.format,
      file: publicFile(lang, output),
    })),
  );

export type PublicExport = {
  /** Writes one build's outputs; a call made while one runs waits for it, and only the newest runs. */
  publish(gen: number, rendition: (lang: Lang, format: PublicFormat) => Promise<Rendition>): Promise<void>;
};

let tmpCounter = 0;

export function createPublicExport(options: {
  dir: string;
  logger: Logger;
  /** Fixed files written with every build too (default: robots.txt), in case the folder was emptied. */
  fixed?: { file: string; rendition: Rendition }[];
}): PublicExport {
  const { dir, logger, fixed = [{ file: ROBOTS_PATH.slice(1), rendition: robotsRendition() }] } = options;
  let running: Promise<void> = Promise.resolve();
  let newest = -1;
  let failing = false;

  async function writeAll(gen: number, rendition: (lang: Lang, format: PublicFormat) => Promise<Rendition>) {
    for (const { lang, format, file } of EXPORT_FILES) {
      if (gen < newest) return; // a newer build is waiting: it writes everything again
      const r = await rendition(lang, format);
      await writeFile(path.join(dir, file), r.identity, r.lastModified);
      await writeFile(path.join(dir, `${file}.gz`), r.gzip, r.lastModified);
    }
    for (const { file, rendition: r } of fixed) {
      await writeFile(path.join(dir, file), r.identity, r.lastModified);
      await writeFile(path.join(dir, `${file}.gz`), r.gzip, r.lastModified);
    }
  }

  return {
    publish(gen, rendition) {
      newest = Math.max(newest, gen);
      running = running.then(async () => {
        if (gen < newest) return;
        try {
          await writeAll(gen, rendition);
          if (failing) logger.info({ dir }, 'public export: writing again');
          failing = false;
        } catch (err) {
          // nginx keeps serving the files already there (or the app, where there are none).
          if (!failing) logger.error({ err: (err as Error).message, dir }, 'public export: cannot write');
          failing = true;
        }
      });
      return running;
    },
  };
}

async function writeFile(target: string, bytes: Buffer, mtime: Date): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  const tmp = `${target}.${process.pid}.${++tmpCounter}.tmp`;
  try {
    await fs.writeFile(tmp, bytes, { mode: 0o644 });
    await fs.utimes(tmp, mtime, mtime);
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
