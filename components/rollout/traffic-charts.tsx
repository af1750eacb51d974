'use client';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ChartRow, TrafficMark } from '@/lib/rollout/traffic-chart';

const STABLE = 'var(--color-stable)';
const CANARY = 'var(--color-canary)';
const THRESHOLD = '#dc2626';
const MARK = '#71717a';

const clock = (t: number) =>
  new Date(t * 1000).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export interface ChartSpec {
  title: string;
  unit: string;
  stableKey: keyof ChartRow;
  canaryKey: keyof ChartRow;
  threshold?: number;
  thresholdLabel?: string;
}

/**
 * One metric of both versions over time (stable blue, canary amber), with the SLO threshold as a red line and the
 * timeline's step and phase changes as grey vertical marks. Loaded on demand, so the page's first load stays small.
 */
export default function TrafficChart({
  spec,
  rows,
  marks,
  domain,
}: {
  spec: ChartSpec;
  rows: ChartRow[];
  marks: TrafficMark[];
  domain: [number, number];
}) {
  return (
    <ResponsiveContainer width="100%" height={160}>
      <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} />
        <XAxis
          dataKey="t"
          type="number"
          domain={domain}
          tickFormatter={clock}
          tick={{ fontSize: 11 }}
          stroke="currentColor"
          strokeOpacity={0.5}
        />
        <YAxis
          width={44}
          tick={{ fontSize: 11 }}
          stroke="currentColor"
          strokeOpacity={0.5}
          domain={[0, (max: number) => Math.max(max, spec.threshold ?? 0) * 1.1 || 1]}
          tickFormatter={(v: number) => `${Number(v.toPrecision(3))}`}
        />
        <Tooltip
          labelFormatter={(t) => clock(Number(t))}
          formatter={(v) => `${Number(Number(v).toPrecision(3))} ${spec.unit}`}
          contentStyle={{ fontSize: 12 }}
        />
        {spec.threshold !== undefined ? (
          <ReferenceLine
            y={spec.threshold}
            stroke={THRESHOLD}
            strokeDasharray="4 3"
            label={{ value: spec.thresholdLabel, position: 'insideTopRight', fontSize: 10, fill: THRESHOLD }}
          />
        ) : null}
        {marks.map((m) => (
          <ReferenceLine
            key={`${m.t}-${m.label}`}
            x={m.t}
            stroke={MARK}
            strokeDasharray="2 2"
            label={{ value: m.label, position: 'insideTopLeft', fontSize: 10, fill: MARK }}
          />
        ))}
        <Line
          name="stable"
          dataKey={spec.stableKey}
          stroke={STABLE}
          dot={false}
          strokeWidth={2}
          isAnimationActive={false}
          connectNulls={false}
        />
        <Line
          name="canary"
          dataKey={spec.canaryKey}
          stroke={CANARY}
          dot={false}
          strokeWidth={2}
          strokeDasharray="6 2"
          isAnimationActive={false}
          connectNulls={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
