'use client';
import { getJson } from '@/lib/client/api';
import { rolloutApiUrl } from '@/lib/client/rollout-urls';
import { useQuery } from '@/lib/client/use-query';
import type { SloReport } from '@/lib/slo/report';
import { StatusBadge } from '../ui/status-badge';
import { verdictLabel } from './verdict';

/** The judge's verdict for a rollout's running canary, refreshed every 10 s; "—" when not asked. */
export function SloCell({
  namespace,
  name,
  context,
  enabled,
}: {
  namespace: string;
  name: string;
  context?: string;
  enabled: boolean;
}) {
  const q = useQuery<SloReport>(
    `slo:${context ?? ''}/${namespace}/${name}`,
    (signal) => getJson<SloReport>(rolloutApiUrl(namespace, name, 'slo', context), signal),
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
