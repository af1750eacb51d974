'use client';
import { getJson } from '@/lib/client/api';
import { rolloutApiUrl } from '@/lib/client/rollout-urls';
import { type QueryEntry, useQuery } from '@/lib/client/use-query';
import type { RolloutTraffic } from '@/lib/rollout/traffic-chart';
import { useKubeContext } from './kube-context';

/** Rates per version (charts, topology) and the observed canary share, refreshed every 10 s while the page is open. */
export function useTraffic(namespace: string, name: string, minutes = 15): QueryEntry<RolloutTraffic> {
  const context = useKubeContext();
  return useQuery<RolloutTraffic>(
    `traffic:${context ?? ''}/${namespace}/${name}/${minutes}`,
    (signal) =>
      getJson<RolloutTraffic>(rolloutApiUrl(namespace, name, 'traffic', context, { minutes }), signal),
    { refetchIntervalMs: 10_000 },
  );
}
