// A gzipped tar of a folder, written and read as streams, so that backing up
// or restoring the embedded database holds one file's chunk in memory at a
// time, whatever the database's size. The layout is PGlite's own dumpDataDir
// (entries "/PG_VERSION", "/base/1/112", …), so older backups still restore.
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

const BLOCK = 512;

function header(name: string, size: number, mtime: number, type: '0' | '5', mode: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  const put = (value: string, offset: number, length: number) => h.write(value, offset, length, 'utf8');
  const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, '0');
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 154);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100)
      throw new Error(`path too long for tar: ${name}`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  put(base, 0, 100);
  put(octal(mode & 0o7777, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(Math.floor(mtime / 1000), 12), 136, 12);
  h.fill(' ', 148, 156);
  put(type, 156, 1);
  put('ustar', 257, 6);
  put('00', 263, 2);
  put(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

async function* entries(root: string, skip: (rel: string) => boolean, rel = ''): AsyncGenerator<Buffer> {
  for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
    const relPath = `${rel}/${name}`;
    if (skip(relPath.slice(1))) continue;
    const full = path.join(root, relPath);
    const st = fs.lstatSync(full);
    if (st.isDirectory()) {
      yield header(relPath, 0, st.mtimeMs, '5', st.mode);
      yield* entries(root, skip, relPath);
    } else if (st.isFile()) {
      yield header(relPath, st.size, st.mtimeMs, '0', st.mode);
      let written = 0;
      for await (const chunk of fs.createReadStream(full, { end: Math.max(0, st.size - 1) })) {
        const c = chunk as Buffer;
        const take = c.subarray(0, Math.max(0, st.size - written)); // a file grown meanwhile: its size when listed
        written += take.length;
        if (st.size > 0) yield take;
      }
      if (written < st.size) yield Buffer.alloc(st.size - written); // shrank meanwhile: the header promised more
      if (st.size % BLOCK) yield Buffer.alloc(BLOCK - (st.size % BLOCK));
    }
  }
}

/** Write `dir` (minus what `skip` says, by path relative to `dir`) as a gzipped tar to `out`. */
export async function writeTarGz(dir: string, out: Writable, skip: (rel: string) => boolean): Promise<void> {
  async function* all() {
    yield* entries(dir, skip);
    yield Buffer.alloc(BLOCK * 2);
  }
  await pipeline(Readable.from(all()), zlib.createGzip({ level: 6 }), out);
}

export class TarError extends Error {}

/** Unpack a gzipped tar stream into `dir` (which must exist), refusing any path leaving it. */
export async function extractTarGz(input: NodeJS.ReadableStream, dir: string): Promise<number> {
  const root = path.resolve(dir);
  let pending: Buffer = Buffer.alloc(0);
  let file: { fd: number; left: number; pad: number } | undefined;
  let files = 0;
  let ended = false;
  const consume = (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      if (file) {
        const take = Math.min(file.left, pending.length);
        if (take > 0) fs.writeSync(file.fd, pending.subarray(0, take));
        file.left -= take;
        pending = pending.subarray(take);
        if (file.left > 0) return;
        if (pending.length < file.pad) return;
        pending = pending.subarray(file.pad);
        fs.closeSync(file.fd);
        file = undefined;
        continue;
      }
      if (ended || pending.length < BLOCK) return;
      const h = pending.subarray(0, BLOCK);
      pending = pending.subarray(BLOCK);
      if (h.every((b) => b === 0)) {
        ended = true;
        return;
      }
      if (h.toString('latin1', 257, 262) !== 'ustar') throw new TarError('not a tar archive');
      const field = (o: number, l: number) => h.toString('utf8', o, o + l).replace(/\0.*$/s, '');
      const name = [field(345, 155), field(0, 100)].filter(Boolean).join('/');
      const size = Number.parseInt(field(124, 12).trim() || '0', 8);
      const type = field(156, 1) || '0';
      const target = path.resolve(root, `.${path.posix.normalize(`/${name}`)}`);
      if (target !== root && !target.startsWith(`${root}${path.sep}`))
        throw new TarError(`unsafe path ${name}`);
      if (type === '5') fs.mkdirSync(target, { recursive: true });
      else if (type === '0') {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        file = { fd: fs.openSync(target, 'w', 0o600), left: size, pad: (BLOCK - (size % BLOCK)) % BLOCK };
        files++;
      } else throw new TarError(`unexpected entry type ${type} for ${name}`);
    }
  };
  try {
    await pipeline(
      input,
      zlib.createGunzip(),
      new Writable({
        write(chunk: Buffer, _enc, done) {
          try {
            consume(chunk);
            done();
          } catch (err) {
            done(err as Error);
          }
        },
      }),
    );
  } finally {
    if (file) fs.closeSync(file.fd);
  }
  if (file || !ended) throw new TarError('the archive ends early');
  return files;
}
