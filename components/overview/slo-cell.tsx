'use client';
import { getJson } from '@/lib/client/api';
import { useQuery } from '@/lib/client/use-query';
import type { SloReport } from '@/server/slo/evaluate';
import { StatusBadge } from '../ui/status-badge';
import { verdictLabel } from './verdict';

/** The judge's verdict for a rollout's running canary, refreshed every 10 s; "—" when not asked. */
export function SloCell({ namespace, name, enabled }: { namespace: string; name: string; enabled: boolean }) {
  const q = useQuery<SloReport>(
    `slo:${namespace}/${name}`,
    (signal) => getJson<SloReport>(`/api/v1/rollouts/${namespace}/${name}/slo`, signal),
    { refetchIntervalMs: 10_000, enabled },
  );
  if (!enabled) return <span className="text-zinc-500">—</span>;
  if (q.data) {
    const v = verdictLabel(q.data.verdict);
    return <StatusBadge label={`SLO ${v.label}`} tone={v.tone} title={q.data.explanation} />;
  }
  if (q.error?.code === 'no_canary') return <span className="text-zinc-500">no canary</span>;
  if (q.error) return <StatusBadge label="SLO unknown" tone="unknown" title={q.error.message} />;
  return <span className="text-zinc-500">…</span>;
}
