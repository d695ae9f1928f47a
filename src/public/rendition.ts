// A rendition: one (language, format) of the public projection as bytes, in each
// encoding, with its validators, made once per build and served from memory.
//
// Validators (RFC 9110 §8.8):
// - each encoding is its own representation with its own strong ETag, a hash of exactly
//   the bytes sent (identity, gzip, brotli): the same bytes give the same tag in every
//   process, different bytes never share one;
// - Last-Modified is when the content served last changed (src/public/last-modified.ts),
//   never earlier than that: the same in every process for the same content.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/**
 * Each output's format; where each is served is src/public/urls.ts. A page with a
 * parameter is its path under /{lang}/: `routes/<slug>[/<n>]`, `timeline[/<n>]`.
 */
export type PublicFormat =
  | 'html'
  | 'json'
  | 'atom'
  | 'csv'
  | 'hxl'
  | 'methodology'
  | `routes/${string}`
  | 'timeline'
  | `timeline/${string}`;

export type Rendered = {
  body: string;
  contentType: string;
  /** When its content last changed, if the renderer worked it out (last-modified.ts). */
  changedAt?: Date;
};

const gzipAsync = promisify(zlib.gzip);
const brotliAsync = promisify(zlib.brotliCompress);

export type Rendition = {
  contentType: string;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
  /** Strong validators of each representation's bytes. */
  etag: string;
  etagGzip: string;
  etagBr: string;
  lastModified: Date;
  /** lastModified as an HTTP date, formatted once. */
  lastModifiedHttp: string;
  degraded: boolean;
};

export type Encoded = Pick<
  Rendition,
  'contentType' | 'identity' | 'gzip' | 'br' | 'etag' | 'etagGzip' | 'etagBr'
>;

/** A strong entity tag of exactly these bytes. */
export const entityTag = (bytes: Buffer) =>
  `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`;

/**
 * zlib's default level, not 9: on every public output level 9 took twice the CPU (12.9 against
 * 6.8 ms for the nine outputs of the seed) for 32 bytes less in 64 KB (docs/benchmarks.md,
 * 6 December 2026). Each rebuild compresses every output asked for, on the machine that answers
 * the crowd.
 */
const GZIP_OPTIONS = { level: 6 };

// Brotli 5, not 9: on the 23 KB page 1 % larger, 30 times less CPU (0.4 ms, not 11 ms),
// which under a spike the threadpool would take from the request path.
const brotliOptions = (size: number) => ({
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size },
});

const encoded = (contentType: string, identity: Buffer, gzip: Buffer, br: Buffer): Encoded => ({
  contentType,
  identity,
  gzip,
  br,
  etag: entityTag(identity),
  etagGzip: entityTag(gzip),
  etagBr: entityTag(br),
});

/** The bytes in each encoding, compressed off the event loop, and their validators. */
export async function encodeRendered({ body, contentType }: Rendered): Promise<Encoded> {
  const identity = Buffer.from(body, 'utf8');
  const [gzip, br] = await Promise.all([
    gzipAsync(identity, GZIP_OPTIONS),
    brotliAsync(identity, brotliOptions(identity.length)),
  ]);
  return encoded(contentType, identity, gzip, br);
}

/**
 * Encoded bytes as they cross from the worker: each encoding an ArrayBuffer of its own,
 * moved (transferred), not copied, so the server's thread does no work for them.
 */
export type EncodedTransfer = Omit<Encoded, 'identity' | 'gzip' | 'br'> & {
  identity: ArrayBuffer;
  gzip: ArrayBuffer;
  br: ArrayBuffer;
};

/** A buffer's bytes as an ArrayBuffer that may be moved (a pooled slab is never moved: copied). */
const own = (b: Buffer): ArrayBuffer =>
  b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer
    ? b.buffer
    : (b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);

export function toTransfer(e: Encoded): EncodedTransfer {
  return { ...e, identity: own(e.identity), gzip: own(e.gzip), br: own(e.br) };
}

export function fromTransfer(e: EncodedTransfer): Encoded {
  return {
    contentType: e.contentType,
    identity: Buffer.from(e.identity),
    gzip: Buffer.from(e.gzip),
    br: Buffer.from(e.br),
    etag: e.etag,
    etagGzip: e.etagGzip,
    etagBr: e.etagBr,
  };
}

/** The same, at once: for small fixed texts made at start (robots.txt). */
export function encodeRenderedSync({ body, contentType }: Rendered): Encoded {
  const identity = Buffer.from(body, 'utf8');
  return encoded(
    contentType,
    identity,
    zlib.gzipSync(identity, GZIP_OPTIONS),
    zlib.brotliCompressSync(identity, brotliOptions(identity.length)),
  );
}

const toSecond = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

/** What a new copy is dated against: the validators of the copy it replaces. */
export type Dated = Pick<Rendition, 'etag' | 'lastModified'>;

/**
 * The rendition, dated `changedAt` (when its content last changed). A copy replacing
 * `previous` with other bytes is never dated at or before it: a client holding the old
 * copy with its date must not be told 304 (a degraded copy's banner going away, say,
 * changes the bytes without any time in the content moving).
 */
export function toRendition(
  e: Encoded,
  times: { previous: Dated | undefined; changedAt: Date; readAt: Date; degraded: boolean },
): Rendition {
  const { previous } = times;
  let lastModified = toSecond(times.changedAt);
  if (previous && previous.etag === e.etag) lastModified = previous.lastModified;
  else if (previous && lastModified <= previous.lastModified) {
    const later = toSecond(times.readAt);
    lastModified = later > previous.lastModified ? later : previous.lastModified;
  }
  // Every field named, in one order (no spread): every rendition then has the same hidden
  // class, whatever made its bytes (the worker's copy crossed as a cloned object), so the
  // fast path's reads of it stay monomorphic while builds land several times a second.
  return {
    contentType: e.contentType,
    identity: e.identity,
    gzip: e.gzip,
    br: e.br,
    etag: e.etag,
    etagGzip: e.etagGzip,
    etagBr: e.etagBr,
    lastModified,
    lastModifiedHttp: lastModified.toUTCString(),
    degraded: times.degraded,
  };
}
