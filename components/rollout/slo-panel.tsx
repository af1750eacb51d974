'use client';
import { getJson } from '@/lib/client/api';
import { sloName, sloThreshold, sloValue } from '@/lib/client/format';
import { rolloutApiUrl } from '@/lib/client/rollout-urls';
import { useQuery } from '@/lib/client/use-query';
import type { JudgeReport } from '@/lib/slo/report';
import { verdictLabel } from '../overview/verdict';
import { Panel } from '../ui/panel';
import { StatusBadge } from '../ui/status-badge';
import { useKubeContext } from './kube-context';
import {
  bracketText,
  type LatencyResult,
  latencyBracket,
  stepReady,
  stepText,
  thresholdSource,
} from './slo-text';

const th = 'py-1.5 pr-3 text-left text-xs font-medium text-zinc-500';
const muted = 'text-zinc-600 dark:text-zinc-400';

const STATUS_TONE = {
  pass: 'healthy',
  fail: 'degraded',
  inconclusive: 'paused',
  'no-data': 'unknown',
} as const;

const VERDICT_TEXT: Record<string, string> = {
  promote: 'PROMOTE-eligible',
  pause: 'PAUSE — still gathering evidence',
  rollback: 'ROLLBACK — the canary breaks an SLO',
};

const TITLE = 'SLOs (canary, anytime-valid bounds)';

/** The judge's SLO report for the running canary, refreshed every 5 s; grey "no canary in progress" otherwise. */
export function SloPanel({
  namespace,
  name,
  canary,
  weight,
}: {
  namespace: string;
  name: string;
  canary: boolean;
  /** The canary's current step weight (%), for "at 30 %: …"; omitted: "at this step". */
  weight?: number | null;
}) {
  const context = useKubeContext();
  const q = useQuery<JudgeReport>(
    `slo:${context ?? ''}/${namespace}/${name}`,
    (signal) => getJson<JudgeReport>(rolloutApiUrl(namespace, name, 'slo', context), signal),
    { refetchIntervalMs: 5000, enabled: canary },
  );
  if (!canary || q.error?.code === 'no_canary')
    return (
      <Panel title={TITLE}>
        <StatusBadge label="no canary in progress" tone="unknown" />
      </Panel>
    );
  if (!q.data)
    return (
      <Panel title={TITLE}>
        {q.error ? (
          <StatusBadge label="SLO report unavailable" tone="unknown" title={q.error.message} />
        ) : (
          <p className="text-sm text-zinc-500">Asking the judge…</p>
        )}
        {q.error ? <p className={`mt-2 text-sm ${muted}`}>{q.error.message}</p> : null}
      </Panel>
    );
  return (
    <Panel title={TITLE}>
      <SloReportView report={q.data} weight={weight} />
    </Panel>
  );
}

/**
 * One report: per SLO the estimate (the bucket bracket instead of an interpolated P95 when the threshold is not a
 * bucket boundary), interval, threshold and where it came from, status and samples; then the verdict, the evidence at
 * the current step, the expected time to a decision and the judge's words.
 */
export function SloReportView({ report: r, weight }: { report: JudgeReport; weight?: number | null }) {
  const v = verdictLabel(r.verdict);
  const latency = r.slos.find((s) => s.name === 'latency-p95') as LatencyResult | undefined;
  const bracket = latency ? latencyBracket(latency) : null;
  const step = r.step ?? null;
  const eta = r.eta ?? null;
  return (
    <>
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="sr-only">SLOs of the canary</caption>
          <thead>
            <tr>
              <th className={th}>SLO</th>
              <th className={th}>Estimate</th>
              <th className={th}>Interval</th>
              <th className={th}>Threshold</th>
              <th className={th}>Status</th>
              <th className={th}>Samples</th>
            </tr>
          </thead>
          <tbody>
            {r.slos.map((s) => {
              const source = thresholdSource(s.name, r.thresholds);
              const inBracket = s.name === 'latency-p95' && bracket;
              return (
                <tr
                  key={s.name}
                  className="border-t border-zinc-100 dark:border-zinc-900"
                  title={s.explanation}
                  data-slo={s.name}
                >
                  <td className="py-1.5 pr-3">{sloName(s.name)}</td>
                  <td className="py-1.5 pr-3 tabular-nums">
                    {inBracket ? (
                      <span
                        title={`${s.threshold} ms is not a bucket boundary: the P95 is only known to lie in a bucket`}
                      >
                        {bracketText(bracket)} <span className={`text-xs ${muted}`}>(bucket)</span>
                      </span>
                    ) : (
                      sloValue(s.estimate, s.unit)
                    )}
                  </td>
                  <td className={`py-1.5 pr-3 tabular-nums ${muted}`}>
                    {s.interval
                      ? `[${sloValue(s.interval[0], s.unit)}, ${sloValue(s.interval[1], s.unit)}]`
                      : '—'}
                  </td>
                  <td className="py-1.5 pr-3 tabular-nums">
                    {sloThreshold(s.name, s.threshold, s.unit)}
                    {source ? <span className={`block text-xs ${muted}`}>{source}</span> : null}
                  </td>
                  <td className="py-1.5 pr-3">
                    <StatusBadge label={s.status} tone={STATUS_TONE[s.status]} />
                  </td>
                  <td className={`py-1.5 pr-3 tabular-nums ${muted}`}>{s.samples.toLocaleString('en-US')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="mt-3 space-y-1 text-sm" data-testid="slo-verdict">
        <p className="flex flex-wrap items-center gap-2">
          <span className="font-medium">Verdict:</span>
          <StatusBadge label={VERDICT_TEXT[r.verdict] ?? r.verdict} tone={v.tone} />
          {eta ? (
            <span className={muted} data-testid="slo-eta">
              {eta.side === 'promote' ? 'Promote' : 'Rollback'} expected: {eta.text}
            </span>
          ) : null}
        </p>
        {step ? (
          <p className={muted} data-testid="slo-step">
            Step evidence {stepText(step, weight ?? r.weight, r.thresholds?.sources.minStepSeconds)}
            {stepReady(step) ? ' ✓' : ''}
          </p>
        ) : null}
        <p className="text-zinc-700 dark:text-zinc-300">{r.explanation}</p>
        {latency && bracket ? (
          <p className={`text-xs ${muted}`} data-testid="slo-latency-note">
            {latency.explanation}
          </p>
        ) : null}
        {r.dataIssues.length ? (
          <ul className={`list-disc pl-5 text-xs ${muted}`}>
            {r.dataIssues.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        ) : null}
      </div>
    </>
  );
}
