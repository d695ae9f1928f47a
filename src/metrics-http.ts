// The HTTP request-duration histogram, kept in plain numbers. prom-client's labelled
// observe validates its labels and hashes them into a string key on every call: about a
// microsecond, measured with perf on the public fast path, where a crisis spike makes
// tens of thousands of calls a second. Here a request finds its series through three
// small maps keyed by the route pattern, the method and the status (strings and numbers
// node and the URL table hand over as the same values each time), then adds to one bucket.
// The registry reads it as it reads its own metrics (get() in prom-client's shape), so
// what /metrics shows is unchanged.
import type { Registry } from 'prom-client';

type Labels = { route: string; method: string; status: string };
type Series = { labels: Labels; counts: number[]; sum: number; count: number };
type Value = { labels: Labels & { le?: number | string }; value: number; metricName: string };

export type HttpDurationOptions = {
  name: string;
  help: string;
  /** Upper bounds in seconds, ascending; +Inf is added. */
  buckets: readonly number[];
  registers: Registry[];
};

export class HttpDurationHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly bounds: readonly number[];
  private readonly byRoute = new Map<string, Map<string, Map<number, Series>>>();

  constructor(options: HttpDurationOptions) {
    this.name = options.name;
    this.help = options.help;
    this.bounds = options.buckets;
    for (const registry of options.registers) registry.registerMetric(this as never);
  }

  /** One request (labels are bounded: route patterns, node's methods, statuses). */
  observe(route: string, method: string, status: number, seconds: number): void {
    let byMethod = this.byRoute.get(route);
    if (!byMethod) this.byRoute.set(route, (byMethod = new Map<string, Map<number, Series>>()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map<number, Series>()));
    let series = byStatus.get(status);
    if (!series) {
      const labels = { route, method, status: String(status) };
      byStatus.set(status, (series = { labels, counts: this.bounds.map(() => 0), sum: 0, count: 0 }));
    }
    const { bounds } = this;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    if (i < bounds.length) series.counts[i]!++;
    series.sum += seconds;
    series.count++;
  }

  /** Every series as prom-client's histograms give it: cumulative buckets, +Inf, sum, count. */
  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Value[] }> {
    const values: Value[] = [];
    for (const byMethod of this.byRoute.values())
      for (const byStatus of byMethod.values())
        for (const s of byStatus.values()) {
          let cumulative = 0;
          this.bounds.forEach((le, i) => {
            cumulative += s.counts[i]!;
            values.push({
              labels: { le, ...s.labels },
              value: cumulative,
              metricName: `${this.name}_bucket`,
            });
          });
          values.push({
            labels: { le: '+Inf', ...s.labels },
            value: s.count,
            metricName: `${this.name}_bucket`,
          });
          values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
          values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` });
        }
    const { name, help, type, aggregator } = this;
    return Promise.resolve({ name, help, type, aggregator, values });
  }

  reset(): void {
    this.byRoute.clear();
  }
}
