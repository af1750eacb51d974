import { describe, expect, it } from 'vitest';
import { linear, linePath, markLines, nearest, niceTicks, timeTicks, yTop } from './chart-geometry';

describe('chart geometry', () => {
  it('maps a domain onto a range, flipped for an SVG y axis', () => {
    const y = linear([0, 10], [150, 10]);
    expect(y(0)).toBe(150);
    expect(y(10)).toBe(10);
    expect(y(5)).toBe(80);
    expect(linear([3, 3], [0, 100])(3)).toBe(0);
  });

  it('gives round ticks from 0 up to the top', () => {
    expect(niceTicks(10)).toEqual([0, 5, 10]);
    expect(niceTicks(7.3)).toEqual([0, 2, 4, 6]);
    expect(niceTicks(0.33)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(1100)).toEqual([0, 500, 1000]);
    expect(niceTicks(0)).toEqual([0]);
    expect(niceTicks(Number.NaN)).toEqual([0]);
  });

  it('gives round times inside a 15-minute window', () => {
    const since = Date.parse('2026-01-01T10:02:10Z') / 1000;
    const ticks = timeTicks([since, since + 900]);
    expect(ticks.map((t) => new Date(t * 1000).toISOString().slice(11, 19))).toEqual([
      '10:05:00',
      '10:10:00',
      '10:15:00',
    ]);
    expect(timeTicks([5, 5])).toEqual([]);
  });

  it('puts the top above the largest value or the threshold', () => {
    expect(yTop([1, undefined, 4], 2)).toBeCloseTo(4.4);
    expect(yTop([1], 5)).toBeCloseTo(5.5);
    expect(yTop([undefined])).toBe(1);
  });

  it('breaks a line where a point has no value, and draws a point alone as a dot', () => {
    const pts = [
      { t: 0, v: 1 },
      { t: 1, v: 2 },
      { t: 2, v: undefined },
      { t: 3, v: 4 },
      { t: 4, v: Number.NaN },
    ];
    expect(
      linePath(
        pts,
        (p) => p.t * 10,
        (p) => p.v,
      ),
    ).toBe('M0.0 1.0L10.0 2.0M30.0 4.0h0');
    expect(
      linePath(
        [],
        (p: number) => p,
        () => 1,
      ),
    ).toBe('');
  });

  it('finds the point nearest a time', () => {
    const pts = [0, 10, 20, 30].map((t) => ({ t }));
    const at = (t: number) => nearest(pts, t, (p) => p.t);
    expect([at(-5), at(4), at(6), at(15), at(29), at(99)]).toEqual([0, 0, 1, 1, 3, 3]);
    expect(nearest([], 3, (p: { t: number }) => p.t)).toBe(-1);
  });
});

describe('markLines', () => {
  const x = (t: number) => t; // one pixel a second
  it('draws a burst of marks as a few lines with one label, the newest, and keeps marks far apart as they are', () => {
    const burst = Array.from({ length: 60 }, (_, i) => ({
      t: 1000 + i * 0.5,
      label: i % 2 ? 'Healthy' : 'Paused: manually paused',
    }));
    const lines = markLines([{ t: 100, label: 'step 1/7 setWeight 10' }, ...burst], x, 2000);
    // 60 marks half a pixel apart: 15 lines of 4 (2 px each), plus the early step.
    expect(lines).toHaveLength(16);
    expect(lines.flatMap((l) => l.labels)).toHaveLength(61);
    const labelled = lines.filter((l) => l.label !== null);
    expect(labelled.map((l) => l.label)).toEqual(['step 1/7 setWeight 10', 'Healthy (+3)']);
    expect(labelled.at(-1)).toBe(lines.at(-1));
  });

  it('labels lines whose labels fit between them, by their length; none of the drawn labels overlap', () => {
    const marks = [
      { t: 0, label: 'a' },
      { t: 100, label: 'step 3/7 setWeight 30' }, // 21 characters: 128 px at 6 px each
      { t: 200, label: 'b' },
      { t: 400, label: 'c' },
    ];
    const lines = markLines(marks, x, 2000);
    expect(lines.map((l) => l.label)).toEqual(['a', null, 'b', 'c']);
    // Near the right edge a label goes before its line.
    const edge = markLines([{ t: 1990, label: 'Healthy' }], x, 2000);
    expect(edge[0]).toMatchObject({ label: 'Healthy', anchor: 'end' });
    // Whatever the marks, the drawn labels' spans never overlap.
    const many = Array.from({ length: 200 }, (_, i) => ({
      t: (i * 7919) % 2000,
      label: 'x'.repeat(1 + (i % 25)),
    }));
    many.sort((a, b) => a.t - b.t);
    const spans = markLines(many, x, 2000)
      .filter((l) => l.label)
      .map((l) => {
        const w = 2 + (l.label as string).length * 6;
        return l.anchor === 'start' ? [l.x, l.x + w] : [l.x - w, l.x];
      })
      .sort((p, q) => (p[0] as number) - (q[0] as number));
    for (let i = 1; i < spans.length; i++)
      expect((spans[i] as number[])[0]).toBeGreaterThanOrEqual((spans[i - 1] as number[])[1] as number);
  });
});
