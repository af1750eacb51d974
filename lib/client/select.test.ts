import { describe, expect, it } from 'vitest';
import type { RolloutSummary } from '@/lib/rollout/rollout-view';
import { faultsOf, filterAndSort, needsAttention, timeline } from './select';

const row = (
  name: string,
  phase: RolloutSummary['phase'],
  extra: Partial<RolloutSummary> = {},
): RolloutSummary => ({
  namespace: 'demo',
  name,
  phase,
  message: '',
  revision: 1,
  stableImage: 'webapp:v1.0',
  canaryImage: null,
  step: null,
  setWeight: 100,
  actualWeight: null,
  paused: false,
  aborted: false,
  needsAttention: phase === 'Paused' || phase === 'Degraded',
  createdAt: '2025-01-01T00:00:00Z',
  analysisPhase: null,
  ...extra,
});

describe('overview selection', () => {
  it('puts rollouts needing attention first, worst first, then by name', () => {
    const rows = [
      row('b', 'Healthy'),
      row('a', 'Healthy'),
      row('c', 'Paused'),
      row('d', 'Degraded'),
      row('e', 'Progressing', { analysisPhase: 'Failed' }),
    ];
    expect(needsAttention(rows[4] as RolloutSummary)).toBe(true);
    expect(filterAndSort(rows, { search: '', namespace: '', sort: 'attention' }).map((r) => r.name)).toEqual([
      'd',
      'c',
      'e',
      'a',
      'b',
    ]);
  });

  it('searches names and images, filters by namespace, sorts by age', () => {
    const rows = [
      row('old', 'Healthy', { createdAt: '2024-01-01T00:00:00Z' }),
      row('new', 'Healthy', { createdAt: '2025-06-01T00:00:00Z', canaryImage: 'webapp:v2' }),
      row('other', 'Healthy', { namespace: 'shop' }),
    ];
    expect(filterAndSort(rows, { search: 'V2', namespace: '', sort: 'name' }).map((r) => r.name)).toEqual([
      'new',
    ]);
    expect(filterAndSort(rows, { search: '', namespace: 'shop', sort: 'name' }).map((r) => r.name)).toEqual([
      'other',
    ]);
    expect(filterAndSort(rows, { search: '', namespace: 'demo', sort: 'age' }).map((r) => r.name)).toEqual([
      'new',
      'old',
    ]);
  });
});

describe('timeline', () => {
  it('keeps events about the rollout and its children, newest first', () => {
    const ev = (name: string, involved: string, at: string, reason: string) => ({
      kind: 'Event',
      metadata: { name, namespace: 'demo' },
      involvedObject: { kind: 'Rollout', name: involved, namespace: 'demo' },
      reason,
      message: reason,
      lastTimestamp: at,
      count: 1,
    });
    const got = timeline(
      [
        ev('e1', 'webapp', '2025-01-01T10:00:00Z', 'RolloutUpdated'),
        ev('e2', 'webapp-abc12', '2025-01-01T10:05:00Z', 'ScalingReplicaSet'),
        ev('e3', 'webapp2', '2025-01-01T10:06:00Z', 'Other'),
      ],
      'demo',
      'webapp',
    );
    expect(got.map((e) => e.reason)).toEqual(['ScalingReplicaSet', 'RolloutUpdated']);
  });

  it('reads the canary faults from the faults ConfigMap, tolerating bad JSON', () => {
    const cm = (text: string) => ({
      metadata: { name: 'webapp-faults', namespace: 'demo' },
      data: { 'faults.json': text },
    });
    expect(faultsOf([cm('{"v1.1":{"errorRate":0.1,"latencyMs":0}}')], 'demo')).toEqual({
      'v1.1': { errorRate: 0.1, latencyMs: 0 },
    });
    expect(faultsOf([cm('{oops')], 'demo')).toEqual({});
    expect(faultsOf([], 'demo')).toEqual({});
  });
});
