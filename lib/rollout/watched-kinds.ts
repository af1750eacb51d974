/** The kinds the control center watches, by the name its SSE events carry (shared by server and browser). */
export const WATCHED_KINDS = [
  'rollout',
  'analysisrun',
  'replicaset',
  'pod',
  'virtualservice',
  'event',
  'configmap',
  'job',
] as const;
export type WatchedKind = (typeof WATCHED_KINDS)[number];
