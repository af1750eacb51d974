/**
 * The geometry of the traffic charts (pure): scales, axis ticks and line paths, so a chart is a few SVG elements
 * computed in one pass over its points.
 */

/** A linear map of `domain` onto `range` (a degenerate domain maps to the range's start). */
export function linear(
  domain: readonly [number, number],
  range: readonly [number, number],
): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** Ticks from 0 up to `max` (none above it) at a round step (1, 2 or 5 × 10^k), about `count` of them. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0];
  const rough = max / count;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= rough) ?? 10) * mag;
  const out: number[] = [];
  for (let i = 0; i * step <= max * (1 + 1e-9); i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}

/** Round time steps for the x axis (seconds). */
const TIME_STEPS = [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];

/** Times (epoch seconds) inside `[since, until]` at a round step, about `count` of them. */
export function timeTicks(domain: readonly [number, number], count = 5): number[] {
  const [since, until] = domain;
  if (!(until > since)) return [];
  const span = until - since;
  const step = TIME_STEPS.find((s) => span / s <= count) ?? (TIME_STEPS.at(-1) as number);
  const out: number[] = [];
  for (let t = Math.ceil(since / step) * step; t <= until; t += step) out.push(t);
  return out;
}

/** The top of the y axis: the largest value or the threshold, with room above; 1 when there is nothing. */
export function yTop(values: Iterable<number | undefined>, threshold?: number): number {
  let max = threshold ?? 0;
  for (const v of values) if (v !== undefined && Number.isFinite(v) && v > max) max = v;
  return max * 1.1 || 1;
}

/**
 * An SVG path through the points with a value, broken where a point has none (a gap in the data stays a gap, as a
 * version that served no traffic for a while); a point alone between gaps is a dot.
 */
export function linePath<T>(
  points: readonly T[],
  x: (p: T) => number,
  y: (p: T) => number | undefined,
): string {
  let d = '';
  // Points in the segment being drawn: a lone point gets a zero-length stroke (`h0`), drawn as a dot by a round cap.
  let run = 0;
  const end = () => {
    if (run === 1) d += 'h0';
    run = 0;
  };
  for (const p of points) {
    const v = y(p);
    if (v === undefined || !Number.isFinite(v)) {
      end();
      continue;
    }
    d += `${run > 0 ? 'L' : 'M'}${x(p).toFixed(1)} ${v.toFixed(1)}`;
    run++;
  }
  end();
  return d;
}

/** The index of the point whose time is nearest `t` (points sorted by time), or -1 when there are none. */
export function nearest<T>(points: readonly T[], t: number, time: (p: T) => number): number {
  if (points.length === 0) return -1;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (time(points[mid] as T) < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && t - time(points[lo - 1] as T) <= time(points[lo] as T) - t) return lo - 1;
  return lo;
}

/** A vertical mark as drawn: where, the marks it stands for, and its label (none when it would run into another). */
export interface MarkLine {
  key: string;
  x: number;
  /** The newest of its marks' labels, with "+N" for the others it stands for; null when it is drawn unlabelled. */
  label: string | null;
  /** The label's side of the line: after it, or before it near the right edge. */
  anchor: 'start' | 'end';
  /** Every label it stands for, oldest first (the hover text). */
  labels: string[];
}

/**
 * The step and phase marks as a chart draws them (marks oldest first), on a chart whose plot ends at `right`: marks
 * less than `samePx` apart share one line; a label goes after its line, or before it when it would pass `right`; and,
 * from the newest back, a line is labelled only when its label (at `charPx` a character) keeps `gapPx` clear of the
 * last label drawn. A burst of changes (a pause and a resume every second) is a few lines and one readable label, the
 * newest, not hundreds of overlapping ones.
 */
export function markLines(
  marks: ReadonlyArray<{ t: number; label: string }>,
  x: (t: number) => number,
  right: number,
  { samePx = 2, charPx = 6, gapPx = 6 } = {},
): MarkLine[] {
  const lines: MarkLine[] = [];
  for (const m of marks) {
    const px = x(m.t);
    const last = lines.at(-1);
    if (last && px - last.x < samePx) last.labels.push(m.label);
    else lines.push({ key: `${m.t}`, x: px, label: null, anchor: 'start', labels: [m.label] });
  }
  let freeBefore = Number.POSITIVE_INFINITY; // the left end of the last label drawn
  for (const l of [...lines].reverse()) {
    const more = l.labels.length - 1;
    const label = `${l.labels.at(-1)}${more > 0 ? ` (+${more})` : ''}`;
    const width = label.length * charPx;
    const anchor = l.x + 2 + width > right ? 'end' : 'start';
    const [from, to] = anchor === 'start' ? [l.x, l.x + 2 + width] : [l.x - 2 - width, l.x];
    if (to + gapPx > freeBefore) continue;
    l.label = label;
    l.anchor = anchor;
    freeBefore = from;
  }
  return lines;
}
