import { describe, expect, it } from 'vitest';
import type { VersionSample } from '../slo';
import { chartRows } from './traffic-chart';
import { observedShare, ratePoints, withLeadingZeros } from './traffic-series';

/** Cumulative samples of a steady version: `rps` requests a second, `errorRate` of them failing, all under 0.1 s. */
function steady(since: number, step: number, n: number, rps: number, errorRate: number): VersionSample[] {
  return Array.from({ length: n }, (_, i) => {
    const t = since + step * (i + 1);
    const requests = rps * step * (i + 1);
    return {
      observedAt: t,
      requests,
      errors: Math.round(requests * errorRate),
      latencyBuckets: [
        { le: 0.1, count: requests },
        { le: 0.3, count: requests },
        { le: Number.POSITIVE_INFINITY, count: requests },
      ],
    };
  });
}

describe('ratePoints', () => {
  it('turns cumulative counts into rps, error rate and P95 per window', () => {
    const pts = ratePoints(steady(1000, 15, 4, 10, 0.02), 1000, 30);
    expect(pts.map((p) => p.t)).toEqual([1015, 1030, 1045, 1060]);
    for (const p of pts) {
      expect(p.rps).toBeCloseTo(10, 9);
      expect(p.errorRate).toBeCloseTo(0.02, 9);
      // everything is under 100 ms: interpolated inside the first bucket at rank 0.95
      expect(p.p95Ms).toBeCloseTo(95, 6);
    }
  });

  it('puts the P95 in the bucket where 95 % of the window’s requests fall', () => {
    const s: VersionSample[] = [
      {
        observedAt: 60,
        requests: 100,
        errors: 0,
        latencyBuckets: [
          { le: 0.1, count: 50 },
          { le: 0.3, count: 90 },
          { le: 0.5, count: 100 },
          { le: Number.POSITIVE_INFINITY, count: 100 },
        ],
      },
    ];
    const [p] = ratePoints(s, 0, 60);
    // rank 95 lies halfway through the 0.3–0.5 bucket (90 → 100)
    expect(p?.p95Ms).toBeCloseTo(400, 6);
    expect(p?.rps).toBeCloseTo(100 / 60, 9);
  });

  it('uses only the look-back window, so a change shows within one window', () => {
    const a = steady(0, 10, 6, 10, 0);
    // from t = 40 on, 50 more errors every 10 s
    const s = a.map((x) => (x.observedAt > 30 ? { ...x, errors: (x.observedAt - 30) * 5 } : x));
    const pts = ratePoints(s, 0, 20);
    expect(pts.find((p) => p.t === 30)?.errorRate).toBe(0);
    expect(pts.find((p) => p.t === 60)?.errorRate).toBeCloseTo(0.5, 9);
  });

  it('drops an interval where a counter went backwards instead of plotting a negative rate', () => {
    const s = steady(0, 10, 3, 10, 0);
    const reset = [s[0], { ...s[1], requests: 5, errors: 0 }, s[2]] as VersionSample[];
    const pts = ratePoints(reset, 0, 10);
    expect(pts.map((p) => p.t)).toEqual([10, 30]);
    expect(pts.every((p) => p.rps >= 0)).toBe(true);
  });

  it('has no error rate or P95 for a window without requests', () => {
    const s: VersionSample[] = [{ observedAt: 10, requests: 0, errors: 0, latencyBuckets: [] }];
    expect(ratePoints(s, 0, 10)).toEqual([{ t: 10, rps: 0, errorRate: null, p95Ms: null }]);
  });
});

describe('withLeadingZeros', () => {
  it('puts zeros on the grid before a series’ first sample, so its first requests are not spread over the range', () => {
    const late = steady(40, 10, 2, 10, 0); // samples at 50 and 60, counting from 40
    const padded = withLeadingZeros(late, 0, 10);
    expect(padded.map((s) => s.observedAt)).toEqual([10, 20, 30, 40, 50, 60]);
    const pts = ratePoints(padded, 0, 10);
    expect(pts.find((p) => p.t === 40)?.rps).toBe(0);
    expect(pts.find((p) => p.t === 50)?.rps).toBeCloseTo(10, 9);
    // without the zeros the first point would report 100 requests over 50 s
    expect(ratePoints(late, 0, 10)[0]?.rps).toBeCloseTo(2, 9);
  });

  it('leaves gaps after the first sample alone (a missed scrape is not zero traffic)', () => {
    const s = steady(0, 10, 4, 10, 0);
    const gap = [s[0], s[2], s[3]] as VersionSample[];
    expect(withLeadingZeros(gap, 0, 10).map((x) => x.observedAt)).toEqual([10, 30, 40]);
  });
});

describe('observedShare', () => {
  it('is the canary’s percentage of both versions’ requests', () => {
    const share = observedShare(
      { requests: 294, errors: 0, seconds: 60 },
      { requests: 706, errors: 3, seconds: 60 },
    );
    expect(share?.canaryPercent).toBeCloseTo(29.4, 9);
    expect(share?.requests).toBe(1000);
  });

  it('is unknown (not 0 %) without traffic', () => {
    expect(observedShare({ requests: 0, errors: 0, seconds: 60 }, null)).toBeNull();
    expect(observedShare(null, null)).toBeNull();
  });
});

describe('chartRows', () => {
  it('joins both versions by time with error rates in percent', () => {
    const rows = chartRows([
      { role: 'stable', service: 's', recent: null, points: [{ t: 10, rps: 7, errorRate: 0, p95Ms: 80 }] },
      {
        role: 'canary',
        service: 'c',
        recent: null,
        points: [
          { t: 10, rps: 3, errorRate: 0.1, p95Ms: 90 },
          { t: 20, rps: 0, errorRate: null, p95Ms: null },
        ],
      },
    ]);
    expect(rows).toEqual([
      { t: 10, stableRps: 7, stableErrors: 0, stableP95: 80, canaryRps: 3, canaryErrors: 10, canaryP95: 90 },
      { t: 20, canaryRps: 0 },
    ]);
  });
});
