'use client';
import { getJson } from '@/lib/client/api';
import { sloName, sloThreshold, sloValue } from '@/lib/client/format';
import { rolloutApiUrl } from '@/lib/client/rollout-urls';
import { useQuery } from '@/lib/client/use-query';
import type { SloReport } from '@/server/slo/evaluate';
import { verdictLabel } from '../overview/verdict';
import { Panel } from '../ui/panel';
import { StatusBadge } from '../ui/status-badge';
import { useKubeContext } from './kube-context';

const th = 'py-1.5 pr-3 text-left text-xs font-medium text-zinc-500';

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

/** The judge's SLO report for the running canary, refreshed every 5 s; grey "no canary in progress" otherwise. */
export function SloPanel({ namespace, name, canary }: { namespace: string; name: string; canary: boolean }) {
  const context = useKubeContext();
  const q = useQuery<SloReport>(
    `slo:${context ?? ''}/${namespace}/${name}`,
    (signal) => getJson<SloReport>(rolloutApiUrl(namespace, name, 'slo', context), signal),
    { refetchIntervalMs: 5000, enabled: canary },
  );
  const title = 'SLOs (canary, anytime-valid bounds)';
  if (!canary || q.error?.code === 'no_canary')
    return (
      <Panel title={title}>
        <StatusBadge label="no canary in progress" tone="unknown" />
      </Panel>
    );
  if (!q.data)
    return (
      <Panel title={title}>
        {q.error ? (
          <StatusBadge label="SLO report unavailable" tone="unknown" title={q.error.message} />
        ) : (
          <p className="text-sm text-zinc-500">Asking the judge…</p>
        )}
        {q.error ? <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{q.error.message}</p> : null}
      </Panel>
    );
  const r = q.data;
  const v = verdictLabel(r.verdict);
  return (
    <Panel title={title}>
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
            {r.slos.map((s) => (
              <tr
                key={s.name}
                className="border-t border-zinc-100 dark:border-zinc-900"
                title={s.explanation}
              >
                <td className="py-1.5 pr-3">{sloName(s.name)}</td>
                <td className="py-1.5 pr-3 tabular-nums">{sloValue(s.estimate, s.unit)}</td>
                <td className="py-1.5 pr-3 tabular-nums text-zinc-600 dark:text-zinc-400">
                  {s.interval
                    ? `[${sloValue(s.interval[0], s.unit)}, ${sloValue(s.interval[1], s.unit)}]`
                    : '—'}
                </td>
                <td className="py-1.5 pr-3 tabular-nums">{sloThreshold(s.name, s.threshold, s.unit)}</td>
                <td className="py-1.5 pr-3">
                  <StatusBadge label={s.status} tone={STATUS_TONE[s.status]} />
                </td>
                <td className="py-1.5 pr-3 tabular-nums text-zinc-600 dark:text-zinc-400">
                  {s.samples.toLocaleString('en-US')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="mt-3 space-y-1 text-sm" data-testid="slo-verdict">
        <p className="flex flex-wrap items-center gap-2">
          <span className="font-medium">Verdict:</span>
          <StatusBadge label={VERDICT_TEXT[r.verdict] ?? r.verdict} tone={v.tone} />
        </p>
        <p className="text-zinc-700 dark:text-zinc-300">{r.explanation}</p>
        {r.dataIssues.length ? (
          <ul className="list-disc pl-5 text-xs text-zinc-600 dark:text-zinc-400">
            {r.dataIssues.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        ) : null}
      </div>
    </Panel>
  );
}
