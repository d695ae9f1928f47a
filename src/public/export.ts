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
import type { PublicProjection } from '../domain/privacy.ts';
import type { Logger } from '../log.ts';
import type { PublicFormat, Rendition } from './rendition.ts';
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
  publish(
    gen: number,
    rendition: (lang: Lang, format: PublicFormat) => Promise<Rendition>,
    projection?: PublicProjection,
  ): Promise<void>;
};

/** Folders of the pages with a parameter (src/public/urls.ts): a page gone from the build is removed. */
const PAGE_FOLDERS = ['routes', 'timeline'];

let tmpCounter = 0;

export function createPublicExport(options: {
  dir: string;
  logger: Logger;
  /** The pages with a parameter of a build (route pages, timeline pages), each a format. */
  pages?: (projection: PublicProjection) => PublicFormat[];
  /** Fixed files written with every build too (default: robots.txt), in case the folder was emptied. */
  fixed?: { file: string; rendition: Rendition }[];
}): PublicExport {
  const {
    dir,
    logger,
    pages,
    fixed = [{ file: ROBOTS_PATH.slice(1), rendition: robotsRendition() }],
  } = options;
  let running: Promise<void> = Promise.resolve();
  let newest = -1;
  let failing = false;

  async function writeAll(
    gen: number,
    rendition: (lang: Lang, format: PublicFormat) => Promise<Rendition>,
    projection: PublicProjection | undefined,
  ) {
    const paged = projection && pages ? pages(projection) : [];
    const files = [
      ...EXPORT_FILES,
      ...paged.flatMap((format) =>
        LANGUAGES.map((lang) => ({ lang, format, file: `${lang}/${format}.html` })),
      ),
    ];
    for (const { lang, format, file } of files) {
      if (gen < newest) return; // a newer build is waiting: it writes everything again
      const r = await rendition(lang, format);
      await writeFile(path.join(dir, file), r.identity, r.lastModified);
      await writeFile(path.join(dir, `${file}.gz`), r.gzip, r.lastModified);
    }
    for (const { file, rendition: r } of fixed) {
      await writeFile(path.join(dir, file), r.identity, r.lastModified);
      await writeFile(path.join(dir, `${file}.gz`), r.gzip, r.lastModified);
    }
    if (pages && projection) await removeGone(new Set(files.map((f) => f.file)));
  }

  /** A route withdrawn from the page (or a timeline page no longer needed) stops being served. */
  async function removeGone(written: Set<string>) {
    for (const lang of LANGUAGES)
      for (const folder of PAGE_FOLDERS) {
        const entries = await fs
          .readdir(path.join(dir, lang, folder), { recursive: true, withFileTypes: true })
          .catch(() => []);
        for (const e of entries) {
          if (!e.isFile()) continue;
          const full = path.join((e as { parentPath?: string }).parentPath ?? e.path, e.name);
          const file = path.relative(dir, full).split(path.sep).join('/');
          if (!written.has(file.replace(/\.gz$/, '')) && !file.endsWith('.tmp'))
            await fs.rm(full, { force: true });
        }
      }
  }

  return {
    publish(gen, rendition, projection) {
      newest = Math.max(newest, gen);
      running = running.then(async () => {
        if (gen < newest) return;
        try {
          await writeAll(gen, rendition, projection);
          if (failing) logger.info({ dir }, 'public export: writing again');
          failing = false;
        } catch (err) {
          // nginx keeps serving the files already there (or the app, where there are none).
          if (!failing) logger.error({ err, dir }, 'public export: cannot write');
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
