'use client';
import { getJson } from '@/lib/client/api';
import { rolloutApiUrl } from '@/lib/client/rollout-urls';
import { type QueryEntry, useQuery } from '@/lib/client/use-query';
import type { RolloutTraffic } from '@/lib/rollout/traffic-chart';
import { useKubeContext } from './kube-context';

const MINUTES = 15;

/**
 * Rates per version (charts, topology) and the observed canary share over the last 15 minutes, refreshed every 10 s
 * while the page is open; one request for every panel that reads it. `select` (defined once, outside the component):
 * the part a panel shows, so that a refresh renders only the panels whose part changed.
 */
export function useTraffic<S = RolloutTraffic>(
  namespace: string,
  name: string,
  select?: (t: RolloutTraffic) => S,
): QueryEntry<S> {
  const context = useKubeContext();
  return useQuery<RolloutTraffic, S>(
    `traffic:${context ?? ''}/${namespace}/${name}/${MINUTES}`,
    (signal) =>
      getJson<RolloutTraffic>(
        rolloutApiUrl(namespace, name, 'traffic', context, { minutes: MINUTES }),
        signal,
      ),
    { refetchIntervalMs: 10_000, select },
  );
}
