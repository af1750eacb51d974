/**
 * How long the canary held each weight, and how many requests it served there: from the VirtualService's weight
 * changes (watched) and the canary Service's request counters (Prometheus or a gateway's own metrics). Pure: the
 * canary scripts and the lab end-to-end tests feed it what they observed. Times are milliseconds since the epoch.
 */

/** The canary's weight as observed at `at` (a watch event's arrival, or a poll). */
export interface WeightObservation {
  at: number;
  weight: number;
}

/** How a period at one weight ended. */
export type HoldEnd = 'promoted' | 'lowered' | 'rolled-back' | 'completed' | 'ongoing';

/** One period at one canary weight (> 0): from the first observation of the weight to the first of the next one. */
export interface Hold {
  weight: number;
  from: number;
  /** null while the canary is still at this weight. */
  to: number | null;
  seconds: number;
  /** Canary requests served in the period; null when no counter was read. */
  requests: number | null;
  end: HoldEnd;
}

/** One counter series (one source process and label set): raw samples, oldest first. */
export type CounterSamples = readonly { at: number; value: number }[];

/**
 * The periods at each canary weight > 0, in order. Observations may arrive out of order (a poll and a watch): they are
 * sorted by time, and a run of the same weight is one period.
 */
export function weightPeriods(
  observations: readonly WeightObservation[],
): { weight: number; from: number; to: number | null }[] {
  const sorted = [...observations].sort((a, b) => a.at - b.at);
  const out: { weight: number; from: number; to: number | null }[] = [];
  let current: { weight: number; from: number } | null = null;
  for (const o of sorted) {
    if (current && current.weight === o.weight) continue;
    if (current) out.push({ ...current, to: o.at });
    current = { weight: o.weight, from: o.at };
  }
  if (current) out.push({ ...current, to: null });
  return out.filter((p) => p.weight > 0);
}

/** Reset-corrected running total of one counter series (Prometheus' rule: a drop means the counter restarted at 0). */
export function cumulative(samples: CounterSamples): { at: number; total: number }[] {
  const out: { at: number; total: number }[] = [];
  let total = 0;
  let prev: number | undefined;
  for (const s of samples) {
    if (prev === undefined) total = s.value;
    else total += s.value >= prev ? s.value - prev : s.value;
    prev = s.value;
    out.push({ at: s.at, total });
  }
  return out;
}

/**
 * Requests a set of counter series counted between `from` and `to`.
 * - `lower-bound`: only increments between two samples that both lie in [from, to] (a sure lower bound; the
 *   tests assert minimums with it).
 * - `estimate`: the running total interpolated linearly at `from` and `to` (what a table shows). A series first seen
 *   after `rangeStart` plus one sample spacing was born then: it counts from 0 one spacing before its first sample.
 */
export function served(
  series: Iterable<CounterSamples>,
  from: number,
  to: number,
  mode: 'lower-bound' | 'estimate',
  rangeStart = Number.NEGATIVE_INFINITY,
): number {
  let sum = 0;
  for (const samples of series) {
    const curve = cumulative(samples);
    if (curve.length === 0 || to <= from) continue;
    if (mode === 'lower-bound') {
      const inside = curve.filter((p) => p.at >= from && p.at <= to);
      const first = inside[0];
      const last = inside.at(-1);
      if (first && last) sum += last.total - first.total;
      continue;
    }
    const spacing = medianSpacing(curve);
    const head = curve[0] as { at: number; total: number };
    const points = head.at - spacing > rangeStart ? [{ at: head.at - spacing, total: 0 }, ...curve] : curve;
    sum += valueAt(points, to) - valueAt(points, from);
  }
  return sum;
}

function medianSpacing(curve: readonly { at: number }[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < curve.length; i++)
    gaps.push((curve[i] as { at: number }).at - (curve[i - 1] as { at: number }).at);
  if (gaps.length === 0) return 0;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] as number;
}

/** Linear interpolation of a running total; flat before the first point and after the last. */
function valueAt(points: readonly { at: number; total: number }[], t: number): number {
  const first = points[0] as { at: number; total: number };
  if (t <= first.at) return first.total;
  for (let i = 1; i < points.length; i++) {
    const b = points[i] as { at: number; total: number };
    if (t > b.at) continue;
    const a = points[i - 1] as { at: number; total: number };
    return a.total + ((b.total - a.total) * (t - a.at)) / (b.at - a.at);
  }
  return (points.at(-1) as { total: number }).total;
}

/**
 * The holds of one canary: each period at a weight > 0 with its seconds, how it ended and (with counters) its
 * requests. `now` closes a period that is still going on (for its seconds).
 */
export function holdsOf(
  observations: readonly WeightObservation[],
  opts: {
    now: number;
    counters?: Iterable<CounterSamples>;
    mode?: 'lower-bound' | 'estimate';
    rangeStart?: number;
  },
): Hold[] {
  const periods = weightPeriods(observations);
  const series = opts.counters ? [...opts.counters] : null;
  const sorted = [...observations].sort((a, b) => a.at - b.at);
  return periods.map((p) => {
    const end = p.to ?? opts.now;
    const next = p.to === null ? undefined : sorted.find((o) => o.at >= (p.to as number))?.weight;
    let kind: HoldEnd = 'ongoing';
    if (next !== undefined) {
      if (next > p.weight) kind = 'promoted';
      else if (next === 0) kind = p.weight === 100 ? 'completed' : 'rolled-back';
      else kind = 'lowered';
    }
    return {
      weight: p.weight,
      from: p.from,
      to: p.to,
      seconds: (end - p.from) / 1000,
      requests: series
        ? Math.round(served(series, p.from, end, opts.mode ?? 'estimate', opts.rangeStart))
        : null,
      end: kind,
    };
  });
}

const END_WORDS: Record<HoldEnd, string> = {
  promoted: 'then promoted',
  lowered: 'then lowered',
  'rolled-back': 'then rolled back',
  completed: 'then completed',
  ongoing: 'still there',
};

/**
 * The table the canary scripts print, and a summary line: every promoted step against the judge's minimum time and
 * requests at a step (`minSeconds`, `minRequests`).
 */
export function formatHolds(
  holds: readonly Hold[],
  opts: { minSeconds: number; minRequests: number; requestsFrom: string; minimumFrom?: string },
): string[] {
  if (holds.length === 0) return ['  the canary never got traffic (no weight > 0 was seen)'];
  const lines = holds.map((h) => {
    const req = h.requests === null ? 'n/a' : h.requests.toLocaleString('en-US');
    return `  ${String(h.weight).padStart(3)} %  ${h.seconds.toFixed(1).padStart(7)} s  ${req.padStart(9)} canary requests  ${END_WORDS[h.end]}`;
  });
  lines.push(`  (requests: ${opts.requestsFrom})`);
  const promoted = holds.filter((h) => h.end === 'promoted');
  if (promoted.length === 0) {
    lines.push('  no step was promoted');
    return lines;
  }
  const short = promoted.filter(
    (h) => h.seconds < opts.minSeconds || (h.requests !== null && h.requests < opts.minRequests),
  );
  const shortest = promoted.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const counted = promoted.filter((h) => h.requests !== null);
  const fewest = counted.length
    ? counted.reduce((a, b) => ((b.requests as number) < (a.requests as number) ? b : a))
    : null;
  const need = `≥ ${opts.minSeconds} s${counted.length ? ` and ≥ ${opts.minRequests} requests` : ''}${opts.minimumFrom ? ` (${opts.minimumFrom})` : ''}`;
  const facts = `shortest ${shortest.seconds.toFixed(1)} s at ${shortest.weight} %${fewest ? `, fewest ${(fewest.requests as number).toLocaleString('en-US')} requests at ${fewest.weight} %` : ''}`;
  lines.push(
    short.length === 0
      ? `  every promoted step (${promoted.length}) held its weight ${need}: ${facts}`
      : `  ${short.length} of ${promoted.length} promoted steps held their weight less than ${need}: ${short.map((h) => `${h.weight} % (${h.seconds.toFixed(1)} s${h.requests === null ? '' : `, ${h.requests} requests`})`).join(', ')}`,
  );
  return lines;
}
