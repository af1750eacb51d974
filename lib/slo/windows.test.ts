import { describe, expect, it } from 'vitest';
import { sample } from './test-fixtures';
import { prepareWindows } from './windows';

describe('prepareWindows', () => {
  it('differences cumulative counters into windows', () => {
    const canary = [sample(15, 100, 1, 5), sample(30, 250, 4, 9)];
    const stable = [sample(15, 900, 2), sample(30, 1800, 3)];
    const p = prepareWindows(canary, stable, 30, 0.3, 60);
    expect(p.issues).toEqual([]);
    expect(p.exactBoundary).toBe(true);
    expect(
      p.windows.map((w) => [w.canary.requests, w.canary.errors, w.canary.slowLow, w.stable.errors]),
    ).toEqual([
      [100, 1, 5, 2],
      [150, 3, 4, 1],
    ]);
  });
  it('handles a counter reset like PromQL increase() and flags it only while it is the latest window', () => {
    const canary = [sample(15, 100, 1), sample(30, 40, 0), sample(45, 90, 2)];
    const stable = [sample(15, 900, 2), sample(30, 1800, 3), sample(45, 2700, 3)];
    const p = prepareWindows(canary, stable, 45, 0.3, 60);
    expect(p.windows.map((w) => w.canary.requests)).toEqual([100, 40, 50]);
    expect(p.issues).toEqual([]);
    const latest = prepareWindows(canary.slice(0, 2), stable.slice(0, 2), 30, 0.3, 60);
    expect(latest.issues.join()).toMatch(/reset/);
  });
  it('pairs scrapes by timestamp and skips unmatched ones', () => {
    const canary = [sample(15, 100, 0), sample(30, 200, 0), sample(45, 300, 0)];
    const stable = [sample(15.4, 900, 0), sample(45, 2700, 0)];
    const p = prepareWindows(canary, stable, 45, 0.3, 60);
    expect(p.windows.map((w) => [w.end, w.canary.requests, w.stable.requests])).toEqual([
      [15, 100, 900],
      [45, 200, 1800],
    ]);
  });
  it('reports stale and missing data', () => {
    expect(prepareWindows([], [], 0, 0.3, 60).issues.join()).toMatch(/no canary/);
    const stale = prepareWindows([sample(15, 10, 0)], [sample(15, 90, 0)], 200, 0.3, 60);
    expect(stale.issues.join()).toMatch(/stale/);
    const noLatency = prepareWindows(
      [{ observedAt: 15, requests: 5, errors: 0, latencyBuckets: [] }],
      [sample(15, 90, 0)],
      15,
      0.3,
      60,
    );
    expect(noLatency.issues.join()).toMatch(/latency histogram missing/);
  });
});
