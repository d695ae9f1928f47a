// The public cache's rendition store: each (language, format) of a build rendered,
// compressed and hashed once per build (in the projector's worker when it can, the
// bytes moved back: projector.ts; else rendered here, compressed on the threadpool); the
// latest rendition of each variant, served while a newer build is made; and the variants
// asked for in the last HOT_FOR_MS ("hot"), rendered as soon as a build lands. A variant
// nobody asked for in that while is rendered when it is next asked for: a crawler that
// walks every route and timeline page once does not make every later build render them
// all. Every render failure is logged once here, with its stack and kind. Used by cache.ts.
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';
import type { Lang } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { Build, PublicFormat, RenderFn } from './build.ts';
import { contentChangedAt } from './last-modified.ts';
import type { EncodedOutput, Projector } from './projector.ts';
import type { PublicProjection } from '../domain/privacy.ts';
import { type Dated, type Encoded, type Rendition, encodeRendered, toRendition } from './rendition.ts';

export type RenditionStore = {
  /** Rendered once per build; the same promise for every caller. */
  of(b: Build, lang: Lang, format: PublicFormat): Promise<Rendition>;
  /** Renders every hot variant of a build that just landed. */
  prerender(b: Build): void;
  /**
   * Starts rendering every hot variant of an audited projection whose build has not landed
   * yet (its state is being recorded: build.ts); of() takes them if that build lands.
   */
  early(projection: PublicProjection): void;
  /** The latest rendition of a variant, whichever build it came from. */
  latest(key: string): Rendition | undefined;
  hot: HotVariants;
  /** A reader asked for this variant at `at` (it is rendered sooner after the next build lands). */
  asked(key: string, at?: number): void;
};

/**
 * A variant stays hot this long after a reader last asked for it. Long enough that a page
 * fetched every max-age (10 s) by a shared cache, or every few seconds by a crowd, is always
 * ready when a build lands; short enough that pages asked for once (a crawler, one curious
 * reader) drop out within a minute instead of being rendered by every build for ever.
 */
export const HOT_FOR_MS = 60_000;

/**
 * The variants asked for in the last HOT_FOR_MS, by when each was last asked for;
 * `forget` is told of each one dropped.
 */
export class HotVariants {
  readonly #lastAsked = new Map<string, number>();
  constructor(
    private readonly now: () => number,
    private readonly forget: (key: string) => void = () => undefined,
  ) {}
  /** A reader asked for it now (`at`: the time, when the caller has read the clock already). */
  add(key: string, at = this.now()): void {
    this.#lastAsked.set(key, at);
  }
  has(key: string, now = this.now()): boolean {
    const at = this.#lastAsked.get(key);
    return at !== undefined && now - at < HOT_FOR_MS;
  }
  /** The hot variants; the ones nobody asked for in HOT_FOR_MS are forgotten. */
  keys(): string[] {
    const since = this.now() - HOT_FOR_MS;
    const keys: string[] = [];
    for (const [key, at] of this.#lastAsked) {
      if (at > since) keys.push(key);
      else {
        this.#lastAsked.delete(key);
        this.forget(key);
      }
    }
    return keys;
  }
  get size(): number {
    return this.keys().length;
  }
}

const variantKeys = new Map<Lang, Map<string, string>>();
/** Bounds the keys kept per language (parameter pages: each route's pages, the timeline's). */
const MAX_KEPT_KEYS = 5_000;

/**
 * The key of a variant, `ru:html`: the same string every time for the same variant. A
 * request looks its key up in several maps and sets, and a string made anew would be
 * joined and hashed again for each; the language and format it is found by are the
 * URL table's own strings (src/public/urls.ts), whose hashes are kept.
 */
export function variantKey(lang: Lang, format: PublicFormat): string {
  let byFormat = variantKeys.get(lang);
  if (!byFormat) variantKeys.set(lang, (byFormat = new Map<string, string>()));
  const known = byFormat.get(format);
  if (known !== undefined) return known;
  const made = `${lang}:${format}`;
  if (byFormat.size < MAX_KEPT_KEYS) byFormat.set(format, made);
  return made;
}

/**
 * The order a new build's variants are rendered in (the worker takes them one at a time):
 * the page families look at first, then the data outputs, then the pages with a parameter;
 * within each, the variants readers asked for most since the last build first (the
 * language a crowd, or a person checking their own save, is waiting on does not wait
 * for the page in every other language to be rendered first).
 */
const FIRST: readonly string[] = ['html', 'json', 'csv', 'atom', 'hxl', 'methodology'];
const rank = (key: string) => {
  const i = FIRST.indexOf(key.slice(key.indexOf(':') + 1));
  return i < 0 ? FIRST.length : i;
};

/** For background renders: the failure was logged where it happened (of()). */
export const loggedAlready = () => {
  // Already logged once with its stack and kind: nothing more to do.
};

export function createRenditionStore(o: {
  render: RenderFn;
  projector: Projector;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
}): RenditionStore {
  const { render, projector, logger } = o;
  const lastByKey = new Map<string, Rendition>();
  const lastGen = new Map<string, number>();
  /** Asks per variant since the last build landed (halved then: recent demand counts most). */
  const demand = new Map<string, number>();
  /**
   * The validators of a forgotten copy: its next copy is dated after it if its bytes differ
   * (toRendition), so a client holding it is never told 304 by If-Modified-Since.
   */
  const forgotten = new Map<string, Dated>();
  /**
   * Variants asked for recently: re-rendered as soon as a new build lands. One that goes
   * cold loses its copy too: every copy kept is then of the latest build or the one before
   * (the one a reader may get while its replacement is made, cache.ts), never a state
   * minutes old, and pages a crawler fetched once do not stay in memory.
   */
  const hot = new HotVariants(
    () => o.clock.now().getTime(),
    (key) => {
      const last = lastByKey.get(key);
      if (last) forgotten.set(key, { etag: last.etag, lastModified: last.lastModified });
      lastByKey.delete(key);
      lastGen.delete(key);
      demand.delete(key);
    },
  );
  /**
   * Renders started in the worker before their build landed: of one projection only (the
   * latest audited), each taken once. Only a fresh build's (a degraded copy has a banner).
   */
  let early:
    { projection: PublicProjection; made: Map<string, Promise<EncodedOutput | undefined>> } | undefined;

  /** The hot variants in the order a new build renders them. */
  function order(): string[] {
    const asks = (key: string) => demand.get(key) ?? 0;
    return hot.keys().sort((x, y) => rank(x) - rank(y) || asks(y) - asks(x));
  }

  /** The render started early for this build's variant, taken (once) if there is one. */
  function takeEarly(b: Build, key: string): Promise<EncodedOutput | undefined> | undefined {
    if (b.degradedAsOf || early?.projection !== b.projection) return undefined;
    const made = early.made.get(key);
    early.made.delete(key);
    return made;
  }

  function of(b: Build, lang: Lang, format: PublicFormat): Promise<Rendition> {
    const key = variantKey(lang, format);
    const existing = b.renditions.get(key);
    if (existing) return existing;
    const promise = (async () => {
      const meta = { degradedAsOf: b.degradedAsOf };
      const started = performance.now();
      // Rendered, compressed and hashed where it was projected (the worker) when it can
      // be, the bytes moved back; else rendered here.
      const made =
        (await takeEarly(b, key)) ?? (await projector.renderEncoded?.(b.projection, lang, format, meta));
      let encoded: Encoded;
      let changedAt: Date | undefined;
      if (made) {
        ({ encoded, changedAt } = made);
        // The render's wait in the worker's queue counts as render, as before. A render
        // started early (before this build landed) was partly done before `started`: its
        // own time in the worker is then the floor (the wait alone could even be less than
        // its compression, and a negative duration would corrupt the histogram's sum).
        const total = performance.now() - started;
        const render = Math.max(made.renderMs, total - made.compressMs);
        o.metrics.publicBuildSeconds.observe({ step: 'render' }, render / 1000);
        o.metrics.publicBuildSeconds.observe({ step: 'compress' }, made.compressMs / 1000);
      } else {
        const rendered =
          (await projector.render?.(b.projection, lang, format, meta)) ??
          render(b.projection, lang, format, meta);
        const renderedAt = performance.now();
        encoded = await encodeRendered(rendered);
        changedAt = rendered.changedAt;
        o.metrics.publicBuildSeconds.observe({ step: 'render' }, (renderedAt - started) / 1000);
        o.metrics.publicBuildSeconds.observe({ step: 'compress' }, (performance.now() - renderedAt) / 1000);
      }
      // Read after the await: another build may have replaced this variant meanwhile.
      const previous = lastByKey.get(key) ?? forgotten.get(key);
      const rendition = toRendition(encoded, {
        previous,
        changedAt: changedAt ?? contentChangedAt(b.projection, format, b.readAt),
        // A degraded copy's banner appeared now; a fresh one's content dates from its read.
        readAt: b.degradedAsOf ? o.clock.now() : b.readAt,
        degraded: b.degradedAsOf !== undefined,
      });
      b.ready.set(key, rendition);
      if (!previous || b.gen >= (lastGen.get(key) ?? -1)) {
        lastByKey.set(key, rendition);
        lastGen.set(key, b.gen);
        forgotten.delete(key);
      }
      return rendition;
    })();
    b.renditions.set(key, promise);
    promise.catch((err: unknown) => {
      b.renditions.delete(key);
      // A page that does not exist (a made-up route slug: not_found) is the reader's 404,
      // answered and logged as a request; at error level a crawler's guesses would bury
      // the failures an operator must see.
      if (err instanceof AppError && err.status < 500) return;
      logger.error({ err, kind: 'public_render_failed', key }, 'public cache: render failed');
    });
    return promise;
  }

  return {
    of,
    prerender(b) {
      // Each is published as soon as it is ready (b.ready), the page first.
      const keys = order();
      for (const [key, n] of demand) {
        if (n > 1) demand.set(key, n >> 1);
        else demand.delete(key);
      }
      for (const key of keys) {
        const [lang, format] = key.split(':') as [Lang, PublicFormat];
        void of(b, lang, format).catch(loggedAlready);
      }
      // Those its build did not take (a variant no longer hot) are not kept.
      if (early?.projection === b.projection) early = undefined;
    },
    early(projection) {
      if (!projector.renderEncoded) return;
      const made = new Map<string, Promise<EncodedOutput | undefined>>();
      for (const key of order()) {
        const [lang, format] = key.split(':') as [Lang, PublicFormat];
        // A failure here is not logged: of() renders again, and logs that one's failure.
        made.set(
          key,
          projector.renderEncoded(projection, lang, format, {}).catch(() => undefined),
        );
      }
      early = { projection, made };
    },
    latest: (key) => lastByKey.get(key),
    hot,
    asked(key, at) {
      // Only variants that exist (a made-up route slug is never hot): the map stays small.
      if (hot.has(key, at)) demand.set(key, (demand.get(key) ?? 0) + 1);
    },
  };
}
