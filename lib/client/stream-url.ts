// The live stream's URL, apart from the overview's store so the rollout page loads without it.

export interface StreamFilter {
  /** The kube context (omitted: the default one). */
  context?: string;
  namespace?: string;
  rollout?: string;
  /** `view`: the rollout page as the server projects it (needs namespace and rollout); `summary`: the overview's rows. */
  shape?: 'view' | 'summary';
}

/** The stream URL of a page (`lastEventId` resumes after a pause: EventSource cannot set the header itself). */
export function streamUrl(filter: StreamFilter, lastEventId?: string | null): string {
  const q = new URLSearchParams();
  if (filter.context) q.set('context', filter.context);
  if (filter.namespace) q.set('namespace', filter.namespace);
  if (filter.rollout) q.set('rollout', filter.rollout);
  if (filter.shape) q.set('shape', filter.shape);
  if (lastEventId) q.set('lastEventId', lastEventId);
  const s = q.toString();
  return `/api/v1/stream${s ? `?${s}` : ''}`;
}
