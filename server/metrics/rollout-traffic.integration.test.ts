import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RolloutTraffic } from '@/lib/rollout/traffic-chart';
import { runLoad } from '../../loadgen/src/index';
import { freePort } from '../../support/testing/processes';
import { waitForScrapes } from '../../support/testing/prometheus';
import { PrometheusSource } from './prometheus-source';
import { rolloutTraffic } from './rollout-traffic';
import { type MeteredDemo, startMeteredDemo } from './testing/metered-demo';
import type { MetricsSource } from './types';
import { WindowEndpointSource } from './window-endpoint-source';

const ROLLOUT = {
  metadata: { namespace: 'demo', name: 'webapp' },
  spec: { strategy: { canary: { stableService: 'webapp-stable', canaryService: 'webapp-canary' } } },
};

/**
 * The rollout page's traffic data end to end: real webapp processes behind the lab gateway at 70/30, the canary
 * answering 10 % errors, 50 rps from the load generator, and both metrics sources (a real Prometheus scraping the
 * gateway every second, and the gateway's window endpoint). What the load generator saw is what the page shows.
 */
describe('rollout traffic over real metrics', () => {
  let demo: MeteredDemo;
  let load: Awaited<ReturnType<typeof runLoad>>;
  let loadStart = 0;

  beforeAll(async () => {
    demo = await startMeteredDemo('traffic', { stable: 70, canary: 30 });
    await demo.setFaults({ 'v1.1': { errorRate: 0.1 } }); // resolves once every pod has loaded them
    loadStart = Date.now() / 1000;
    load = await runLoad({
      url: `${demo.gateway.url}/api/work`,
      headers: { host: 'webapp.local' },
      rps: 50,
      durationMs: 20_000,
    });
    await waitForScrapes(demo.prometheus.url, 2); // scrapes after the last request: Prometheus has them all
  }, 90_000);
  afterAll(async () => {
    await demo?.stop();
  });

  const mark = (at: number) => ({
    key: 'k',
    at: new Date(at * 1000).toISOString(),
    namespace: 'demo',
    rollout: 'webapp',
    kind: 'step' as const,
    source: 'controller' as const,
    summary: 'step 3/7 setWeight 30',
  });

  async function trafficFrom(source: () => MetricsSource): Promise<RolloutTraffic> {
    const t = await rolloutTraffic(ROLLOUT, source(), [mark(loadStart + 5), mark(loadStart - 3600)], {
      minutes: 1,
      now: Date.now(),
    });
    expect(t.issues).toEqual([]);
    return t;
  }

  const sources: Array<[string, () => MetricsSource]> = [
    ['Prometheus', () => new PrometheusSource(demo.prometheus.url)],
    ['the window endpoint', () => new WindowEndpointSource(demo.gateway.windowUrl)],
  ];

  for (const [label, source] of sources) {
    it(`shows the requests, the canary share and its errors as the load generator saw them (${label})`, async () => {
      const t = await trafficFrom(source);
      const recent = (role: string) => t.versions.find((v) => v.role === role)?.recent;
      const served = (recent('stable')?.requests ?? 0) + (recent('canary')?.requests ?? 0);
      expect(served).toBe(load.total);
      const loadShare = (100 * (load.versions['v1.1'] ?? 0)) / load.total;
      expect(t.observed?.canaryPercent).toBeCloseTo(loadShare, 6);
      expect(t.observed?.canaryPercent).toBeGreaterThan(24);
      expect(t.observed?.canaryPercent).toBeLessThan(36);

      const canary = t.versions.find((v) => v.role === 'canary')?.points ?? [];
      const stable = t.versions.find((v) => v.role === 'stable')?.points ?? [];
      const busy = (pts: typeof canary) => pts.filter((p) => p.rps > 0);
      expect(busy(canary).length).toBeGreaterThan(0);
      for (const p of busy(stable)) expect(p.errorRate).toBe(0);
      const canaryErrors = (recent('canary')?.errors ?? 0) / (recent('canary')?.requests ?? 1);
      expect(canaryErrors).toBeGreaterThan(0.04);
      expect(canaryErrors).toBeLessThan(0.18);
      const peak = Math.max(...busy(stable).map((p) => p.rps)) + Math.max(...busy(canary).map((p) => p.rps));
      expect(peak).toBeGreaterThan(20);
      expect(peak).toBeLessThan(60);
      for (const p of [...busy(stable), ...busy(canary)]) {
        expect(p.p95Ms).toBeGreaterThan(0);
        expect(p.p95Ms).toBeLessThan(300);
      }
      // only the mark inside the chart's range is kept
      expect(t.marks).toEqual([{ t: loadStart + 5, kind: 'step', label: 'step 3/7 setWeight 30' }]);
    });
  }

  it('says so instead of failing when the metrics source is down', async () => {
    const t = await rolloutTraffic(
      ROLLOUT,
      new PrometheusSource(`http://127.0.0.1:${await freePort()}`),
      [],
      {
        minutes: 1,
        now: Date.now(),
      },
    );
    expect(t.issues.length).toBe(2);
    expect(t.issues[0]).toMatch(/^stable \(webapp-stable\): Prometheus at/);
    expect(t.observed).toBeNull();
    expect(t.versions.every((v) => v.points.length === 0)).toBe(true);
  });
});
