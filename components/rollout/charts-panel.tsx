'use client';
import dynamic from 'next/dynamic';
import { memo, useMemo } from 'react';
import { type ChartRow, chartRows, latestPoint, type RolloutTraffic } from '@/lib/rollout/traffic-chart';
import { Panel } from '../ui/panel';
import type { ChartSpec } from './traffic-charts';

const TrafficChart = dynamic(() => import('./traffic-charts'), {
  ssr: false,
  loading: () => <div className="h-40 animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" />,
});

const num = (v: number | null | undefined, digits = 3) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${Number(v.toPrecision(digits))}`;

function specs(
  t: RolloutTraffic,
): Array<ChartSpec & { latest: (p: ReturnType<typeof latestPoint>) => string }> {
  return [
    {
      title: 'Requests per second',
      unit: 'rps',
      stableKey: 'stableRps',
      canaryKey: 'canaryRps',
      latest: (p) => `${num(p?.rps)} rps`,
    },
    {
      title: 'Error rate',
      unit: '%',
      stableKey: 'stableErrors',
      canaryKey: 'canaryErrors',
      threshold: t.thresholds.errorRate * 100,
      thresholdLabel: `SLO < ${num(t.thresholds.errorRate * 100)} %`,
      latest: (p) => (p?.errorRate === null || !p ? '—' : `${num(p.errorRate * 100)} %`),
    },
    {
      title: 'P95 latency',
      unit: 'ms',
      stableKey: 'stableP95',
      canaryKey: 'canaryP95',
      threshold: t.thresholds.p95Ms,
      thresholdLabel: `SLO ≤ ${t.thresholds.p95Ms} ms`,
      latest: (p) => (p?.p95Ms === null || !p ? '—' : `${Math.round(p.p95Ms)} ms`),
    },
  ];
}

/**
 * Rates, error rate and P95 of each version over the last 15 minutes, with the SLO thresholds and the step changes
 * marked. Each chart also says its newest values in text (for screen readers, tests and a glance).
 */
export const ChartsPanel = memo(function ChartsPanel({
  traffic,
  error,
}: {
  traffic: RolloutTraffic | undefined;
  error?: string;
}) {
  const title = 'Traffic over time (last 15 min)';
  // Memoised (as is the panel): the page re-renders every second for its clocks; the charts change every 10 s.
  const rows: ChartRow[] = useMemo(() => (traffic ? chartRows(traffic.versions) : []), [traffic]);
  if (!traffic)
    return (
      <Panel title={title}>
        <p className="text-sm text-zinc-500">{error ?? 'Reading the metrics…'}</p>
      </Panel>
    );
  const domain: [number, number] = [traffic.window.since, traffic.window.until];
  const stable = latestPoint(traffic.versions, 'stable');
  const canary = latestPoint(traffic.versions, 'canary');
  return (
    <Panel title={title}>
      {traffic.issues.length ? (
        <ul
          className="mb-2 list-disc pl-5 text-xs text-zinc-600 dark:text-zinc-400"
          data-testid="traffic-issues"
        >
          {traffic.issues.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      ) : null}
      <div className="grid gap-4 xl:grid-cols-3">
        {specs(traffic).map((s) => (
          <figure key={s.title} data-testid={`chart-${s.unit}`}>
            <figcaption className="mb-1 flex flex-wrap items-baseline gap-x-3 text-xs">
              <span className="font-medium text-zinc-700 dark:text-zinc-300">{s.title}</span>
              <span className="tabular-nums text-stable">stable {s.latest(stable)}</span>
              <span className="tabular-nums text-canary">canary {s.latest(canary)}</span>
            </figcaption>
            <TrafficChart spec={s} rows={rows} marks={traffic.marks} domain={domain} />
          </figure>
        ))}
      </div>
      <p className="mt-1 text-xs text-zinc-500">
        Solid blue: stable · dashed amber: canary · red: SLO threshold · grey: step and phase changes · rates
        over {traffic.window.lookbackSeconds} s windows, source: {traffic.metrics}
      </p>
    </Panel>
  );
});
