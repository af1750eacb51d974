'use client';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  linear,
  linePath,
  markLines,
  nearest,
  niceTicks,
  timeTicks,
  yTop,
} from '@/lib/rollout/chart-geometry';
import type { ChartRow, TrafficMark } from '@/lib/rollout/traffic-chart';

const STABLE = 'var(--color-stable)';
const CANARY = 'var(--color-canary)';
const THRESHOLD = '#dc2626';
const MARK = '#71717a';
const HEIGHT = 160;
const M = { top: 8, right: 12, bottom: 20, left: 44 };

// One formatter for every label (toLocaleTimeString builds one per call: a few ms per redraw of three charts).
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const clock = (t: number) => TIME.format(t * 1000);
const short = (v: number) => `${Number(v.toPrecision(3))}`;

export interface ChartSpec {
  title: string;
  unit: string;
  stableKey: keyof ChartRow;
  canaryKey: keyof ChartRow;
  threshold?: number;
  thresholdLabel?: string;
}

/** The chart's width as laid out (0 until measured), following the box as it resizes. */
function useWidth(box: React.RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setWidth(Math.round(el.getBoundingClientRect().width));
    const ro = new ResizeObserver((entries) => {
      const w = Math.round(entries[0]?.contentRect.width ?? 0);
      setWidth((prev) => (prev === w ? prev : w));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [box]);
  return width;
}

/**
 * One metric of both versions over time (stable blue, canary amber dashed), with the SLO threshold as a red line and
 * the timeline's step and phase changes as grey vertical marks; hovering shows the values at the nearest time. Plain
 * SVG: a redraw every 10 s is a few elements, not a charting library's tree.
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
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  // The time shown (by the pointer or the keyboard), kept as a time: a refresh every 10 s replaces the points.
  const [hover, setHover] = useState<number | null>(null);
  const g = useMemo(() => {
    if (width <= M.left + M.right) return null;
    const top = yTop(
      rows.flatMap((r) => [r[spec.stableKey], r[spec.canaryKey]]),
      spec.threshold,
    );
    const x = linear(domain, [M.left, width - M.right]);
    const y = linear([0, top], [HEIGHT - M.bottom, M.top]);
    const value = (key: keyof ChartRow) => (r: ChartRow) => {
      const v = r[key];
      return v === undefined ? undefined : y(v);
    };
    return {
      x,
      y,
      yTicks: niceTicks(top / 1.1).filter((v) => v <= top),
      xTicks: timeTicks(domain),
      stable: linePath(rows, (r) => x(r.t), value(spec.stableKey)),
      canary: linePath(rows, (r) => x(r.t), value(spec.canaryKey)),
      marks: markLines(marks, x, width - M.right),
    };
  }, [width, rows, domain, spec, marks]);
  const at = hover === null ? undefined : rows[nearest(rows, hover, (r) => r.t)];
  const step = (by: number | 'first' | 'last') => {
    if (rows.length === 0) return;
    const i = hover === null ? rows.length - 1 : nearest(rows, hover, (r) => r.t);
    const next =
      by === 'first' ? 0 : by === 'last' ? rows.length - 1 : Math.max(0, Math.min(rows.length - 1, i + by));
    setHover((rows[next] as ChartRow).t);
  };
  const fmt = (v: number | undefined) => (v === undefined ? '—' : `${short(v)} ${spec.unit}`);
  return (
    <div ref={box} className="relative" style={{ height: HEIGHT }}>
      {g ? (
        <svg
          width={width}
          height={HEIGHT}
          data-chart={spec.unit}
          role="img"
          aria-label={`${spec.title}, stable and canary over time: arrow keys step through the points`}
          className="rounded text-zinc-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-zinc-400"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the keyboard steps through the points, as the pointer does
          tabIndex={0}
          onMouseMove={(e) => {
            const left = e.currentTarget.getBoundingClientRect().left;
            setHover(
              domain[0] +
                ((e.clientX - left - M.left) / (width - M.left - M.right)) * (domain[1] - domain[0]),
            );
          }}
          onMouseLeave={() => setHover(null)}
          onFocus={() => step(0)}
          onBlur={() => setHover(null)}
          onKeyDown={(e) => {
            const by = { ArrowLeft: -1, ArrowRight: 1, Home: 'first', End: 'last' } as const;
            const k = by[e.key as keyof typeof by];
            if (k === undefined) return;
            e.preventDefault();
            step(k);
          }}
        >
          <g stroke="currentColor" strokeOpacity={0.12} strokeDasharray="3 3">
            {g.yTicks.map((v) => (
              <line key={`y${v}`} x1={M.left} x2={width - M.right} y1={g.y(v)} y2={g.y(v)} />
            ))}
            {g.xTicks.map((t) => (
              <line key={`x${t}`} x1={g.x(t)} x2={g.x(t)} y1={M.top} y2={HEIGHT - M.bottom} />
            ))}
          </g>
          <g fontSize={11} fill="currentColor">
            {g.yTicks.map((v) => (
              <text key={`yl${v}`} x={M.left - 4} y={g.y(v)} textAnchor="end" dominantBaseline="middle">
                {short(v)}
              </text>
            ))}
            {g.xTicks.map((t) => (
              <text key={`xl${t}`} x={g.x(t)} y={HEIGHT - 4} textAnchor="middle">
                {clock(t)}
              </text>
            ))}
          </g>
          {spec.threshold !== undefined ? (
            <g>
              <line
                x1={M.left}
                x2={width - M.right}
                y1={g.y(spec.threshold)}
                y2={g.y(spec.threshold)}
                stroke={THRESHOLD}
                strokeDasharray="4 3"
              />
              <text
                x={width - M.right - 2}
                y={g.y(spec.threshold) - 3}
                textAnchor="end"
                fontSize={10}
                fill={THRESHOLD}
              >
                {spec.thresholdLabel}
              </text>
            </g>
          ) : null}
          {g.marks.map((m) => (
            <g key={m.key}>
              <title>{m.labels.join('\n')}</title>
              <line x1={m.x} x2={m.x} y1={M.top} y2={HEIGHT - M.bottom} stroke={MARK} strokeDasharray="2 2" />
              {m.label ? (
                <text
                  x={m.anchor === 'end' ? m.x - 2 : m.x + 2}
                  y={M.top + 9}
                  textAnchor={m.anchor}
                  fontSize={10}
                  fill={MARK}
                >
                  {m.label}
                </text>
              ) : null}
            </g>
          ))}
          <path d={g.stable} fill="none" stroke={STABLE} strokeWidth={2} strokeLinecap="round" />
          <path
            d={g.canary}
            fill="none"
            stroke={CANARY}
            strokeWidth={2}
            strokeLinecap="round"
            strokeDasharray="6 2"
          />
          {at ? (
            <line
              x1={g.x(at.t)}
              x2={g.x(at.t)}
              y1={M.top}
              y2={HEIGHT - M.bottom}
              stroke="currentColor"
              strokeOpacity={0.5}
            />
          ) : null}
        </svg>
      ) : null}
      {g && at ? (
        <div
          className="pointer-events-none absolute top-1 rounded border border-zinc-200 bg-white px-2 py-1 text-xs shadow-sm dark:border-zinc-700 dark:bg-zinc-900"
          style={g.x(at.t) > width / 2 ? { right: width - g.x(at.t) + 8 } : { left: g.x(at.t) + 8 }}
          data-testid="chart-tooltip"
          role="status"
          aria-live="polite"
        >
          <div className="font-medium">{clock(at.t)}</div>
          <div className="text-stable">stable {fmt(at[spec.stableKey])}</div>
          <div className="text-canary">canary {fmt(at[spec.canaryKey])}</div>
        </div>
      ) : null}
    </div>
  );
}
