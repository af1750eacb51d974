import 'server-only';
import { bucketUnitSeconds, type VersionTarget, versionQueries } from '@/lib/promql/version-queries';
import type { VersionSample } from '@/lib/slo';
import { instantQuery, leOf, rangeQuery } from './prometheus-api';
import type { MetricsSource, SeriesResult, WindowResult } from './types';

interface Counts {
  requests: number | null;
  errors: number;
  buckets: Map<number, number>;
}

/**
 * Counts per version from the Prometheus HTTP API. Counter totals are read at both ends of the window and
 * subtracted (exact at scrape granularity); when a counter reset happened inside the window, increase() is used.
 * Every failure (timeout, HTTP error, unexpected JSON) becomes "no data", never an exception.
 */
export class PrometheusSource implements MetricsSource {
  readonly kind = 'prometheus' as const;

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 3000,
  ) {}

  async window(target: VersionTarget, since: number, until: number): Promise<WindowResult> {
    const q = versionQueries(target, until - since);
    try {
      const resets = await instantQuery(this.baseUrl, q.resets, until, this.timeoutMs);
      const counts =
        (resets[0]?.value ?? 0) > 0
          ? await this.counts(q.increase, until)
          : diff(await this.counts(q, until), await this.counts(q, since));
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
      return { ok: false, reason: this.describe(err) };
    }
  }

  async series(
    target: VersionTarget,
    since: number,
    until: number,
    stepSeconds: number,
  ): Promise<SeriesResult> {
    const q = versionQueries(target, until - since);
    const step = Math.max(1, Math.round(stepSeconds));
    try {
      const [base, requests, errors, buckets] = await Promise.all([
        this.counts(q, since),
        rangeQuery(this.baseUrl, q.requests, since + step, until, step, this.timeoutMs),
        rangeQuery(this.baseUrl, q.errors, since + step, until, step, this.timeoutMs),
        rangeQuery(this.baseUrl, q.buckets, since + step, until, step, this.timeoutMs),
      ]);
      const reqPoints = requests[0]?.points ?? [];
      if (reqPoints.length === 0) return { ok: false, reason: 'no samples for this version in the window' };
      const errAt = new Map((errors[0]?.points ?? []).map((p) => [p.t, p.v]));
      const unit = bucketUnitSeconds(target);
      const samples: VersionSample[] = reqPoints.map((p) => ({
        observedAt: p.t,
        requests: Math.round(p.v - (base.requests ?? 0)),
        errors: Math.round((errAt.get(p.t) ?? 0) - base.errors),
        latencyBuckets: buckets
          .map((s) => {
            const le = leOf(s.metric);
            const v = s.points.find((x) => x.t === p.t)?.v;
            return {
              le: le * unit,
              count: v === undefined ? Number.NaN : Math.round(v - (base.buckets.get(le) ?? 0)),
            };
          })
          .filter((b) => !Number.isNaN(b.le) && !Number.isNaN(b.count))
          .sort((a, b) => a.le - b.le),
      }));
      return { ok: true, samples };
    } catch (err) {
      return { ok: false, reason: this.describe(err) };
    }
  }

  private async counts(
    q: { requests: string; errors: string; buckets: string },
    time: number,
  ): Promise<Counts> {
    const [r, e, b] = await Promise.all([
      instantQuery(this.baseUrl, q.requests, time, this.timeoutMs),
      instantQuery(this.baseUrl, q.errors, time, this.timeoutMs),
      instantQuery(this.baseUrl, q.buckets, time, this.timeoutMs),
    ]);
    const byLe = new Map<number, number>();
    for (const s of b) {
      const le = leOf(s.metric);
      if (!Number.isNaN(le)) byLe.set(le, s.value);
    }
    return { requests: r[0]?.value ?? null, errors: e[0]?.value ?? 0, buckets: byLe };
  }

  private describe(err: unknown): string {
    return `Prometheus at ${this.baseUrl}: ${(err as Error).message}`;
  }
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
