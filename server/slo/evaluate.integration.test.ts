import { HASH_CANARY, HASH_STABLE } from '@control-center/lab/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../loadgen/src/index';
import { PrometheusSource } from '../metrics/prometheus-source';
import { type MeteredDemo, startMeteredDemo } from '../metrics/testing/metered-demo';
import { evaluateCanary, type SloReport } from './evaluate';

const HOST = { host: 'webapp.local' };

/**
 * The judge end to end: real webapp processes behind the lab gateway, a real Prometheus scraping the gateway's Istio
 * metrics, the Prometheus source, and the judge. A clean canary is promoted; a canary answering 20 % errors is rolled back.
 */
describe('the judge over real Prometheus and the lab gateway', () => {
  let demo: MeteredDemo;

  beforeAll(async () => {
    demo = await startMeteredDemo('judge-e2e', { stable: 50, canary: 50 });
  }, 90_000);
  afterAll(async () => {
    await demo?.stop();
  });

  /** Sends 100 rps and asks the judge every 2 s until it decides (or 75 s pass: PROMOTE needs ≥ 30 s at the step). */
  async function judgeUnderLoad(
    since: number,
  ): Promise<{ report: SloReport; load: Awaited<ReturnType<typeof runLoad>> }> {
    const source = new PrometheusSource(demo.prometheus.url);
    const ctl = new AbortController();
    const load = runLoad(
      { url: `${demo.gateway.url}/api/work`, headers: HOST, rps: 100, durationMs: 75_000 },
      { signal: ctl.signal },
    );
    const target = {
      namespace: 'demo',
      rollout: null,
      canaryService: 'webapp-canary',
      stableService: 'webapp-stable',
      canaryHash: HASH_CANARY,
      stableHash: HASH_STABLE,
      since,
      attempt: { number: 1, start: since, stepStarts: [{ attempt: 1, start: since }] },
      weight: 50,
      stepIndex: null,
    };
    let report: SloReport | undefined;
    const end = Date.now() + 75_000;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, 2000));
      report = await evaluateCanary(target, source, {}, Math.floor(Date.now() / 1000));
      if (report.verdict !== 'pause') break;
    }
    ctl.abort();
    if (!report) throw new Error('no report');
    return { report, load: await load };
  }

  it('promotes a clean canary, not before 30 s at its weight, and estimates its error rate at 0', async () => {
    const { report, load } = await judgeUnderLoad(Math.floor(Date.now() / 1000));
    expect(report.verdict, report.explanation).toBe('promote');
    expect(report.step?.seconds).toBeGreaterThanOrEqual(30);
    expect(report.step?.requests).toBeGreaterThanOrEqual(100);
    const errorRate = report.slos.find((s) => s.name === 'error-rate');
    expect(errorRate?.estimate).toBe(0);
    // the gateway carries the statsHistogramBuckets annotation that adds 300 ms, as the kind manifests do
    expect(report.slos.find((s) => s.name === 'latency-p95')?.exactBoundary).toBe(true);
    expect(load.failed).toBe(0);
    const canaryShare = (load.versions['v1.1'] ?? 0) / load.total;
    expect(canaryShare).toBeGreaterThan(0.4);
  }, 100_000);

  it('rolls back a canary answering 20 % errors and names the SLO', async () => {
    await demo.setFaults({ 'v1.1': { errorRate: 0.2 } }); // resolves once every pod has loaded them
    const { report } = await judgeUnderLoad(Math.floor(Date.now() / 1000));
    expect(report.verdict, report.explanation).toBe('rollback');
    const failing = report.slos.filter((s) => s.status === 'fail').map((s) => s.name);
    expect(failing).toContain('error-rate');
    const est = report.slos.find((s) => s.name === 'error-rate')?.estimate ?? 0;
    expect(est).toBeGreaterThan(0.1);
    expect(est).toBeLessThan(0.3);
  }, 100_000);
});
