// Small measuring helpers of `npm run bench:scale`: CPU time, the build's step sums
// from the metrics, and every public output in every language (what a crowd asks for).
import { LANGUAGES, type Lang } from '../src/i18n/index.ts';
import type { Metrics } from '../src/metrics.ts';
import type { PublicFormat } from '../src/public/build.ts';
import { NEUTRAL_LANG, PUBLIC_OUTPUTS } from '../src/public/urls.ts';

/** CPU of the whole process (every thread, the worker's too) since `since`, in ms. */
export const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

/** Every (language, format) of the output table: the page first. */
export function variants(): [Lang, PublicFormat][] {
  return PUBLIC_OUTPUTS.flatMap((o) =>
    o.perLanguage ? LANGUAGES.map((l): [Lang, PublicFormat] => [l, o.format]) : [[NEUTRAL_LANG, o.format]],
  );
}

/** Milliseconds spent so far per build step (corridor_public_build_seconds sums). */
export async function stepSums(metrics: Metrics): Promise<Map<string, number>> {
  const m = await metrics.publicBuildSeconds.get();
  const sums = new Map<string, number>();
  for (const v of m.values)
    if (v.metricName?.endsWith('_sum')) sums.set(String(v.labels.step), v.value * 1000);
  return sums;
}
