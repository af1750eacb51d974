import 'server-only';
import { z } from 'zod';
import type { VersionTarget } from '@/lib/promql/version-queries';
import type { VersionSample } from '@/lib/slo';
import type { MetricsSource, SeriesResult, VersionWindow, WindowResult } from './types';

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
    if (samples.every((s) => s.requests === 0))
      return { ok: false, reason: 'no samples for this version in the window' };
    return { ok: true, samples };
  }
}
