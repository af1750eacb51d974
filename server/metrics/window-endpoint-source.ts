import 'server-only';
import { z } from 'zod';
import { fixedGrid } from '@/lib/promql/counter-increments';
import type { VersionTarget } from '@/lib/promql/version-queries';
import type { VersionSample } from '@/lib/slo';
import type { MetricsSource, PairSeriesResult, SeriesResult, VersionWindow, WindowResult } from './types';

const answerSchema = z.object({
  requests: z.number().int().min(0),
  errors: z.number().int().min(0),
  unit: z.enum(['ms', 's']),
  buckets: z.array(
    z.object({ le: z.union([z.number(), z.literal('+Inf')]), count: z.number().int().min(0) }),
  ),
});

/**
 * A metrics window endpoint (`GET <url>?namespace=&service=&since=&until=` → cumulative counts of one service), for
 * set-ups without Prometheus. Only Istio-style service targets are supported. Failures become "no data".
 */
export class WindowEndpointSource implements MetricsSource {
  readonly kind = 'window-endpoint' as const;

  constructor(
    private readonly url: string,
    private readonly timeoutMs = 3000,
  ) {}

  async window(target: VersionTarget, since: number, until: number): Promise<WindowResult> {
    if (target.metrics !== 'istio')
      return { ok: false, reason: 'the window endpoint serves service metrics only' };
    try {
      const u = new URL(this.url);
      u.search = new URLSearchParams({
        namespace: target.namespace,
        service: target.service,
        since: String(Math.floor(since)),
        until: String(Math.floor(until)),
      }).toString();
      const res = await fetch(u, { signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) return { ok: false, reason: `window endpoint ${this.url}: HTTP ${res.status}` };
      const parsed = answerSchema.safeParse(await res.json());
      if (!parsed.success)
        return { ok: false, reason: `window endpoint ${this.url}: unexpected response shape` };
      const a = parsed.data;
      const unit = a.unit === 'ms' ? 0.001 : 1;
      const window: VersionWindow = {
        requests: a.requests,
        errors: a.errors,
        buckets: a.buckets.map((b) => ({
          le: b.le === '+Inf' ? Number.POSITIVE_INFINITY : b.le * unit,
          count: b.count,
        })),
        since,
        until,
      };
      return { ok: true, window };
    } catch (err) {
      return { ok: false, reason: `window endpoint ${this.url}: ${(err as Error).message}` };
    }
  }

  async series(
    target: VersionTarget,
    since: number,
    until: number,
    stepSeconds: number,
  ): Promise<SeriesResult> {
    const step = Math.max(1, Math.round(stepSeconds));
    const times: number[] = [];
    for (let t = since + step; t <= until; t += step) times.push(t);
    if (times.at(-1) !== until) times.push(until);
    const read = await this.cumulative(target, since, times);
    if (!read.ok) return read;
    if (read.samples.every((s) => s.requests === 0))
      return { ok: false, reason: 'no samples for this version in the window' };
    return { ok: true, samples: read.samples };
  }

  /**
   * The pairSeries grid read window by window (one HTTP request per version and grid point). The endpoint counts
   * requests as the gateway served them (no counters to reset); newestSampleAt is `until` (it answers live).
   */
  async pairSeries(
    targets: { canary: VersionTarget; stable: VersionTarget },
    since: number,
    until: number,
    stepSeconds: number,
  ): Promise<PairSeriesResult> {
    const grid = fixedGrid(since, until, stepSeconds);
    if (!grid)
      return { ok: false, reason: `no whole ${Math.round(stepSeconds)} s step between since and until` };
    const times: number[] = [];
    for (let i = 1; i < grid.points; i++) times.push(grid.t0 + i * grid.step);
    const [canary, stable] = await Promise.all([
      this.cumulative(targets.canary, grid.t0, times),
      this.cumulative(targets.stable, grid.t0, times),
    ]);
    if (!canary.ok) return { ok: false, reason: `canary: ${canary.reason}` };
    if (!stable.ok) return { ok: false, reason: `stable: ${stable.reason}` };
    if (canary.samples.every((s) => s.requests === 0))
      return { ok: false, reason: `window endpoint ${this.url}: no canary requests in the window` };
    return {
      ok: true,
      canary: canary.samples,
      stable: stable.samples.every((s) => s.requests === 0) ? [] : stable.samples,
      newestSampleAt: until,
      queries: canary.queries + stable.queries,
    };
  }

  /** Counts from `since` to each of `times`, one request each, stopping at the first failure. */
  private async cumulative(
    target: VersionTarget,
    since: number,
    times: readonly number[],
  ): Promise<{ ok: true; samples: VersionSample[]; queries: number } | { ok: false; reason: string }> {
    const samples: VersionSample[] = [];
    for (const t of times) {
      const w = await this.window(target, since, t);
      if (!w.ok) return w;
      samples.push({
        observedAt: t,
        requests: w.window.requests,
        errors: w.window.errors,
        latencyBuckets: w.window.buckets,
      });
    }
    return { ok: true, samples, queries: times.length };
  }
}
