'use client';
import { getJson } from '@/lib/client/api';
import type { QueryEntry } from '@/lib/client/query-cache';
import { useQuery } from '@/lib/client/use-query';
import type { RolloutTraffic } from '@/lib/rollout/traffic-chart';

/** Rates per version (charts, topology) and the observed canary share, refreshed every 10 s while the page is open. */
export function useTraffic(namespace: string, name: string, minutes = 15): QueryEntry<RolloutTraffic> {
  return useQuery<RolloutTraffic>(
    `traffic:${namespace}/${name}/${minutes}`,
    (signal) =>
      getJson<RolloutTraffic>(`/api/v1/rollouts/${namespace}/${name}/traffic?minutes=${minutes}`, signal),
    { refetchIntervalMs: 10_000 },
  );
}
