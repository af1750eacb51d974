import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { median, runBounded, timedGet } from '../test/load.js';
import { killAll, startServer } from '../test/server-harness.js';

afterEach(killAll);

function faultsFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'webapp-faults-')), 'faults.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('faults', () => {
  it('errorRate 0.2 fails 20 % ± 4.5 % (5σ) of 2,000 requests with 500', async () => {
    const file = faultsFile({ 'v1.1': { errorRate: 0.2 }, 'v1.0': { errorRate: 1 } });
    const server = await startServer({ VERSION: 'v1.1', FAULTS_FILE: file });
    const results = await runBounded(2000, 20, () => timedGet(`${server.url}/api/work`), 30_000);
    const failures = results.filter((r) => r.status === 500).length;
    const others = results.filter((r) => r.status !== 500 && r.status !== 200).length;
    expect(others).toBe(0);
    expect(failures / results.length).toBeGreaterThanOrEqual(0.155);
    expect(failures / results.length).toBeLessThanOrEqual(0.245);
    // Probes and metrics are never faulted.
    const probes = await runBounded(50, 10, () => timedGet(`${server.url}/healthz`));
    expect(probes.every((r) => r.status === 200)).toBe(true);
  });

  it('latencyMs 100 shifts the median latency by 100 ms ± 20 %', async () => {
    const baselineServer = await startServer({ VERSION: 'v1.0' });
    const baseline = await runBounded(40, 4, () => timedGet(`${baselineServer.url}/api/work`));
    const file = faultsFile({ '*': { latencyMs: 100, latencyJitterMs: 5 } });
    const slowServer = await startServer({ VERSION: 'v1.0', FAULTS_FILE: file });
    const slow = await runBounded(40, 4, () => timedGet(`${slowServer.url}/api/work`));
    expect(baseline.every((r) => r.status === 200) && slow.every((r) => r.status === 200)).toBe(true);
    const shift = median(slow.map((r) => r.ms)) - median(baseline.map((r) => r.ms));
    expect(shift).toBeGreaterThanOrEqual(80);
    expect(shift).toBeLessThanOrEqual(120);
    // Probes are not delayed: a delayed one takes at least 95 ms (100 ± 5), every time; the fastest of 5 is quicker.
    const probes = await runBounded(5, 1, () => timedGet(`${slowServer.url}/readyz`));
    expect(Math.min(...probes.map((p) => p.ms))).toBeLessThan(95);
  });

  it('applies env defaults FAULT_ERROR_RATE and FAULT_LATENCY_MS without a file', async () => {
    const server = await startServer({ FAULT_ERROR_RATE: '1', FAULT_LATENCY_MS: '50' });
    const r = await timedGet(`${server.url}/`);
    expect(r.status).toBe(500);
    expect(r.ms).toBeGreaterThanOrEqual(45);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });
});
