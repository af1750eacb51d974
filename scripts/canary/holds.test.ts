import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cumulative, formatHolds, holdsOf, served, weightPeriods } from './holds';

const s = (sec: number) => sec * 1000;

describe('weightPeriods', () => {
  it('sorts observations, makes one period of a run of one weight, and leaves out weight 0', () => {
    const obs = [
      { at: s(40), weight: 30 },
      { at: s(0), weight: 0 },
      { at: s(10), weight: 10 },
      { at: s(12), weight: 10 }, // a poll repeating the watch
      { at: s(75), weight: 0 },
    ];
    expect(weightPeriods(obs)).toEqual([
      { weight: 10, from: s(10), to: s(40) },
      { weight: 30, from: s(40), to: s(75) },
    ]);
  });

  it('leaves the last period open', () => {
    expect(weightPeriods([{ at: 5, weight: 60 }])).toEqual([{ weight: 60, from: 5, to: null }]);
  });
});

describe('cumulative', () => {
  it('adds increments and, after a drop (a restarted process), the new value from 0', () => {
    const c = cumulative([
      { at: 0, value: 100 },
      { at: 1, value: 130 },
      { at: 2, value: 7 }, // restarted: 7 since the restart
      { at: 3, value: 20 },
    ]);
    expect(c.map((p) => p.total)).toEqual([100, 130, 137, 150]);
  });
});

describe('served', () => {
  const series = [
    [
      { at: s(0), value: 0 },
      { at: s(5), value: 50 },
      { at: s(10), value: 100 },
      { at: s(15), value: 150 },
    ],
  ];

  it('lower bound: only increments between samples inside the window', () => {
    expect(served(series, s(3), s(12), 'lower-bound')).toBe(50);
    expect(served(series, s(6), s(9), 'lower-bound')).toBe(0);
  });

  it('estimate: the running total interpolated at both ends', () => {
    expect(served(series, s(3), s(12), 'estimate')).toBeCloseTo(90);
    expect(served(series, s(20), s(30), 'estimate')).toBe(0);
  });

  it('a reset inside the window counts the restarted process from 0', () => {
    const reset = [
      [
        { at: s(0), value: 500 },
        { at: s(5), value: 550 },
        { at: s(10), value: 20 },
        { at: s(15), value: 70 },
      ],
    ];
    expect(served(reset, s(0), s(15), 'lower-bound')).toBe(120);
    expect(served(reset, s(0), s(15), 'estimate')).toBe(120);
  });

  it('a series born in the range counts from 0 one sample spacing before its first sample', () => {
    const born = [
      [
        { at: s(20), value: 5 },
        { at: s(25), value: 10 },
      ],
    ];
    expect(served(born, s(0), s(30), 'estimate', s(0))).toBe(10);
    // one that was there when the range began has no known start: its first value is not counted
    expect(served(born, s(0), s(30), 'estimate', s(18))).toBe(5);
    expect(served(born, s(0), s(30), 'lower-bound')).toBe(5);
  });

  it('sums every series', () => {
    const two = [series[0] ?? [], series[0] ?? []];
    expect(served(two, s(0), s(15), 'lower-bound')).toBe(300);
  });

  it('property: the lower bound never exceeds what was served; with samples at both ends the estimate is exact', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 2, maxLength: 40 }),
        fc.option(fc.integer({ min: 0, max: 100_000 })),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (requests, scrapeTimes, restartAt, a, b) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          // A counter of requests (at integer ms) in one process that restarts (from 0) at `restartAt`.
          const times = [...new Set(scrapeTimes)].sort((x, y) => x - y);
          const value = (t: number) =>
            requests.filter((r) => r <= t && (restartAt === null || t < restartAt || r >= restartAt)).length;
          const samples = times.map((t) => ({ at: t, value: value(t) }));
          const truth = requests.filter((r) => r > from && r <= to).length;
          expect(served([samples], from, to, 'lower-bound')).toBeLessThanOrEqual(truth);
          // Scrapes at from, to and just before the restart (what the old process counted after its last scrape is
          // lost, in Prometheus too), and the restart visible as a drop (a scrape after it shows fewer requests).
          const extra = restartAt === null || restartAt === 0 ? [] : [restartAt - 1];
          const exact = [...new Set([...times, from, to, ...extra])].sort((x, y) => x - y);
          const seen = exact.map((t) => ({ at: t, value: value(t) }));
          const dropsVisible =
            restartAt === null ||
            seen.every((p, i) => {
              const next = seen[i + 1];
              return !next || !(p.at < restartAt && next.at >= restartAt) || next.value < p.value;
            });
          if (dropsVisible) expect(served([seen], from, to, 'estimate')).toBe(truth);
        },
      ),
    );
  });
});

describe('holdsOf', () => {
  const promoted = [
    { at: s(0), weight: 0 },
    { at: s(10), weight: 10 },
    { at: s(88.4), weight: 30 },
    { at: s(122.5), weight: 60 },
    { at: s(155.5), weight: 100 },
    { at: s(157), weight: 0 },
  ];

  it('gives each weight its seconds and how it ended', () => {
    const h = holdsOf(promoted, { now: s(160) });
    expect(h.map((x) => [x.weight, x.seconds, x.end, x.requests])).toEqual([
      [10, 78.4, 'promoted', null],
      [30, 34.1, 'promoted', null],
      [60, 33, 'promoted', null],
      [100, 1.5, 'completed', null],
    ]);
  });

  it('a canary sent back to 0 before 100 % was rolled back; one still at its weight is ongoing until now', () => {
    const h = holdsOf(
      [
        { at: s(10), weight: 10 },
        { at: s(40), weight: 0 },
        { at: s(50), weight: 10 },
      ],
      { now: s(65) },
    );
    expect(h.map((x) => [x.weight, x.seconds, x.end])).toEqual([
      [10, 30, 'rolled-back'],
      [10, 15, 'ongoing'],
    ]);
  });

  it('counts the requests of each hold from the counters', () => {
    // 10 canary requests a second from t = 10 s, scraped every 5 s
    const counter = Array.from({ length: 33 }, (_, i) => ({
      at: s(i * 5),
      value: Math.max(0, i * 5 - 10) * 10,
    }));
    const h = holdsOf(promoted, { now: s(160), counters: [counter], mode: 'estimate', rangeStart: 0 });
    expect(h.map((x) => x.requests)).toEqual([784, 341, 330, 15]);
  });
});

describe('formatHolds', () => {
  const base = { minSeconds: 30, minRequests: 100, requestsFrom: 'Prometheus' };
  const hold = (weight: number, seconds: number, requests: number | null, end = 'promoted' as const) => ({
    weight,
    from: 0,
    to: s(seconds),
    seconds,
    requests,
    end,
  });

  it('one line per weight and a summary that every promoted step met the minimum', () => {
    const lines = formatHolds(
      [
        hold(10, 78.4, 812),
        hold(30, 34.1, 1021),
        hold(60, 33, 1984),
        { ...hold(100, 1.5, 97), end: 'completed' },
      ],
      { ...base, minimumFrom: "the judge's default" },
    );
    expect(lines).toEqual([
      '   10 %     78.4 s        812 canary requests  then promoted',
      '   30 %     34.1 s      1,021 canary requests  then promoted',
      '   60 %     33.0 s      1,984 canary requests  then promoted',
      '  100 %      1.5 s         97 canary requests  then completed',
      '  (requests: Prometheus)',
      "  every promoted step (3) held its weight ≥ 30 s and ≥ 100 requests (the judge's default): shortest 33.0 s at 60 %, fewest 812 requests at 10 %",
    ]);
  });

  it('names the steps promoted below the minimum time or requests', () => {
    const lines = formatHolds([hold(10, 80, 900), hold(30, 12, 400), hold(60, 31, 90)], base);
    expect(lines.at(-1)).toBe(
      '  2 of 3 promoted steps held their weight less than ≥ 30 s and ≥ 100 requests: 30 % (12.0 s, 400 requests), 60 % (31.0 s, 90 requests)',
    );
  });

  it('without counters: n/a requests and a time-only summary; a rollback promotes nothing', () => {
    const lines = formatHolds([hold(10, 80, null), hold(30, 40, null)], base);
    expect(lines[0]).toContain('n/a canary requests');
    expect(lines.at(-1)).toBe('  every promoted step (2) held its weight ≥ 30 s: shortest 40.0 s at 30 %');
    expect(formatHolds([{ ...hold(10, 25, 300), end: 'rolled-back' }], base).at(-1)).toBe(
      '  no step was promoted',
    );
    expect(formatHolds([], base)).toEqual(['  the canary never got traffic (no weight > 0 was seen)']);
  });
});
