import 'server-only';
import { z } from 'zod';
import { bucketUnitSeconds, type VersionTarget, versionQueries } from '@/lib/promql/version-queries';
import type { MetricsSource, WindowResult } from './types';

const vectorResponse = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(
      z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) }),
    ),
  }),
});

type Sample = { metric: Record<string, string>; value: number };

/** Instant queries over the Prometheus HTTP API; every failure (timeout, HTTP error, bad JSON) becomes "no data". */
export class PrometheusSource implements MetricsSource {
  readonly kind = 'prometheus' as const;

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 3000,
  ) {}

  async window(target: VersionTarget, since: number, until: number): Promise<WindowResult> {
    const q = versionQueries(target, until - since);
    try {
      const resets = await this.query(q.resets, until);
      const useIncrease = (resets[0]?.value ?? 0) > 0;
      const counts = useIncrease
        ? await this.counts(q.increase.requests, q.increase.errors, q.increase.buckets, until)
        : diff(
            await this.counts(q.requests, q.errors, q.buckets, until),
            await this.counts(q.requests, q.errors, q.buckets, since),
          );
      if (counts.requests === null) return { ok: false, reason: 'no samples for this version in the window' };
      const unit = bucketUnitSeconds(target);
      return {
        ok: true,
        window: {
          requests: Math.round(counts.requests),
          errors: Math.round(counts.errors),
          buckets: [...counts.buckets.entries()]
            .map(([le, count]) => ({ le: le * unit, count: Math.round(count) }))
            .sort((a, b) => a.le - b.le),
          since,
          until,
        },
      };
    } catch (err) {
      return { ok: false, reason: `Prometheus at ${this.baseUrl}: ${(err as Error).message}` };
    }
  }

  private async counts(requests: string, errors: string, buckets: string, time: number): Promise<Counts> {
    const [r, e, b] = await Promise.all([
      this.query(requests, time),
      this.query(errors, time),
      this.query(buckets, time),
    ]);
    const byLe = new Map<number, number>();
    for (const s of b) {
      const le = s.metric.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.metric.le);
      if (!Number.isNaN(le)) byLe.set(le, s.value);
    }
    return { requests: r[0]?.value ?? null, errors: e[0]?.value ?? 0, buckets: byLe };
  }

  private async query(promql: string, time: number): Promise<Sample[]> {
    const url = new URL('/api/v1/query', this.baseUrl);
    const body = new URLSearchParams({ query: promql, time: String(time) });
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status} for ${promql.slice(0, 80)}`);
    const parsed = vectorResponse.safeParse(await res.json());
    if (!parsed.success) throw new Error('unexpected response shape');
    return parsed.data.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }
}

interface Counts {
  requests: number | null;
  errors: number;
  buckets: Map<number, number>;
}

/** Counter totals at `until` minus totals at `since` (a version absent at `since` started from zero). */
function diff(now: Counts, then: Counts): Counts {
  if (now.requests === null) return now;
  const buckets = new Map<number, number>();
  for (const [le, v] of now.buckets) buckets.set(le, Math.max(0, v - (then.buckets.get(le) ?? 0)));
  return {
    requests: Math.max(0, now.requests - (then.requests ?? 0)),
    errors: Math.max(0, now.errors - then.errors),
    buckets,
  };
}
