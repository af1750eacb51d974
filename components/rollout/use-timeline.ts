'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { getJson } from '@/lib/client/api';
import { rolloutApiUrl } from '@/lib/client/rollout-urls';
import { shareByKey } from '@/lib/client/share-by-key';
import { timelineKey } from '@/lib/client/timeline-key';
import { type QueryEntry, queryKeyOf, useQuery } from '@/lib/client/use-query';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import { useKubeContext } from './kube-context';

type Answer = { items: TimelineEntry[] };

/**
 * An entry is stored once and never changes (its key makes recording idempotent): one of the same key, time and text is
 * the one the page has. No deep comparison of the 100 entries on every answer.
 */
const sameEntry = (a: TimelineEntry, b: TimelineEntry) =>
  a.at === b.at && a.summary === b.summary && a.kind === b.kind && a.source === b.source;

/** A new entry comes first: the entries below it stay the objects they were, so their lines do not render again. */
function shareEntries(prev: Answer | undefined, next: Answer): Answer {
  const items = shareByKey(prev?.items, next.items, (e) => e.key, sameEntry);
  return prev && items === prev.items ? prev : { items };
}

/** How many stored entries the timeline panel lists, newest first: the page reads no more than that. */
export const TIMELINE_SHOWN = 100;

/**
 * The rollout's stored decision timeline (steps, weights, analysis, verdicts, Events, user actions). A change's own
 * entries come on the stream (the page's `recent`), so a change is no read. Read again when the rollout's
 * AnalysisRuns move (`runsVersion`: the judge's verdict that went with a measurement is stored by whichever replica
 * answered the judge, and no informer event carries it), after the user's own action (useRolloutActions), on every
 * fresh snapshot of the page (RolloutPageStore: a reconnect's projection has derived nothing of what happened while
 * the page was away), and every 10 s for what comes from elsewhere (another user's action, a verdict without a measurement).
 */
export function useTimeline(namespace: string, name: string, runsVersion: string): QueryEntry<Answer> {
  const context = useKubeContext();
  const key = timelineKey(context, namespace, name);
  const fetcher = (signal: AbortSignal) =>
    getJson<Answer>(rolloutApiUrl(namespace, name, 'timeline', context, { limit: TIMELINE_SHOWN }), signal);
  const entry = useQuery<Answer>(key, fetcher, { refetchIntervalMs: 10_000, share: shareEntries });
  const client = useQueryClient();
  // biome-ignore lint/correctness/useExhaustiveDependencies: refetch exactly when the runs' versions change
  useEffect(() => {
    // The judge answered before the controller wrote the measurement, so its verdict is stored by now or about now:
    // give it a breath. A run's updates within a second make one request, after the page has shown the change itself.
    // A fetch already under way is kept, not restarted.
    const t = setTimeout(
      () => void client.refetchQueries({ queryKey: queryKeyOf(key), exact: true }, { cancelRefetch: false }),
      800,
    );
    return () => clearTimeout(t);
  }, [client, key, runsVersion]);
  return entry;
}
