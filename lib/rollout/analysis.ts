import type { AnalysisRun, Rollout } from './kube-types';
import { measurementText } from './measurement-value';
import { ownedBy } from './ownership';

export interface MetricView {
  name: string;
  phase: string;
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  lastValue: string | null;
  message: string | null;
}
export interface AnalysisRunView {
  name: string;
  phase: string;
  message: string | null;
  startedAt: string | null;
  metrics: MetricView[];
}

const created = (r: AnalysisRun) => Date.parse(r.metadata?.creationTimestamp ?? '') || 0;

/** The AnalysisRuns a rollout owns, newest first, with per-metric counts and the last measured value. */
export function analysisRunViews(ro: Rollout, runs: AnalysisRun[]): AnalysisRunView[] {
  const name = ro.metadata?.name ?? '';
  return runs
    .filter((r) => r.metadata?.namespace === ro.metadata?.namespace && ownedBy(r, 'Rollout', name))
    .sort((a, b) => created(b) - created(a) || (b.metadata?.name ?? '').localeCompare(a.metadata?.name ?? ''))
    .map((r) => {
      const results = r.status?.metricResults ?? [];
      const names = (r.spec?.metrics ?? []).map((m) => m.name ?? '').filter(Boolean);
      for (const m of results) if (m.name && !names.includes(m.name)) names.push(m.name);
      return {
        name: r.metadata?.name ?? '',
        phase: r.status?.phase || 'Pending',
        message: r.status?.message ?? null,
        startedAt: r.status?.startedAt ?? r.metadata?.creationTimestamp ?? null,
        metrics: names.map((n) => {
          const m = results.find((x) => x.name === n);
          const last = m?.measurements?.at(-1);
          return {
            name: n,
            phase: m?.phase ?? 'Pending',
            count: m?.count ?? 0,
            successful: m?.successful ?? 0,
            failed: m?.failed ?? 0,
            inconclusive: m?.inconclusive ?? 0,
            lastValue: last?.value !== undefined ? measurementText(last.value) : null,
            message: m?.message ?? last?.message ?? null,
          };
        }),
      };
    });
}
