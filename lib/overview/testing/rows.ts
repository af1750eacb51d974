import type { RolloutSummary } from '@/lib/rollout/rollout-view';

/** Test support: an overview row of `namespace/name` (Healthy, no canary) with `over` on top. */
export const row = (namespace: string, name: string, over: Partial<RolloutSummary> = {}): RolloutSummary => ({
  namespace,
  name,
  phase: 'Healthy',
  message: '',
  revision: 1,
  stableImage: 'webapp:v1.0',
  canaryImage: null,
  step: null,
  setWeight: 0,
  actualWeight: null,
  paused: false,
  aborted: false,
  needsAttention: false,
  createdAt: '2026-01-01T00:00:00Z',
  analysisPhase: null,
  ...over,
});
