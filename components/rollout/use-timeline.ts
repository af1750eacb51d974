'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { getJson } from '@/lib/client/api';
import { rolloutApiUrl } from '@/lib/client/rollout-urls';
import { shareByKey } from '@/lib/client/share-by-key';
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
 * The rollout's stored decision timeline (steps, weights, analysis, verdicts, Events, user actions). Read again
 * whenever the streamed rollout or its events change (`version`), and every 10 s for what the stream does not carry.
 */
export function useTimeline(namespace: string, name: string, version: string): QueryEntry<Answer> {
  const context = useKubeContext();
  const key = `timeline:${context ?? ''}/${namespace}/${name}`;
  const fetcher = (signal: AbortSignal) =>
    getJson<Answer>(rolloutApiUrl(namespace, name, 'timeline', context, { limit: TIMELINE_SHOWN }), signal);
  const entry = useQuery<Answer>(key, fetcher, { refetchIntervalMs: 10_000, share: shareEntries });
  const client = useQueryClient();
  // biome-ignore lint/correctness/useExhaustiveDependencies: refetch exactly when the streamed version changes
  useEffect(() => {
    // The server records the change from its own informer at about the same moment: give it a breath. One change
    // brings several stream events (spec, status, Events) within a second: they make one request, after the page has
    // shown the change itself.
    // A fetch already under way is kept, not restarted.
    const t = setTimeout(
      () => void client.refetchQueries({ queryKey: queryKeyOf(key), exact: true }, { cancelRefetch: false }),
      800,
    );
    return () => clearTimeout(t);
  }, [client, key, version]);
  return entry;
}
