import { describe, expect, it } from 'vitest';
import type { AnalysisRun, KubeObject, Rollout } from './kube-types';
import { TimelineChanges } from './timeline-changes';

const AT = '2026-12-05T01:00:00.000Z';
const ro = (rv: string, status: Rollout['status']): Rollout => ({
  metadata: { name: 'webapp', namespace: 'demo', resourceVersion: rv },
  spec: { strategy: { canary: { steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 100 }] } } },
  status: { currentPodHash: 'abc', ...status },
});
const run = (measurements: Array<{ startedAt: string; finishedAt?: string }>): AnalysisRun => ({
  metadata: {
    name: 'webapp-abc-2-1',
    namespace: 'demo',
    ownerReferences: [{ kind: 'Rollout', name: 'webapp' }],
  },
  status: {
    phase: 'Running',
    startedAt: '2026-12-05T00:59:00Z',
    metricResults: [
      { name: 'judge', measurements: measurements.map((m) => ({ ...m, phase: 'Successful' })) },
    ],
  },
});
const event = (uid: string, count: number): KubeObject =>
  ({
    metadata: { namespace: 'demo', name: `webapp.${uid}`, uid },
    involvedObject: { kind: 'Rollout', name: 'webapp', namespace: 'demo' },
    reason: 'RolloutPaused',
    message: 'Rollout is paused',
    count,
    lastTimestamp: '2026-12-05T00:59:30Z',
  }) as KubeObject;

describe('TimelineChanges', () => {
  it('derives nothing from a known rollout until it changes, then the step and phase it reached', () => {
    const c = new TimelineChanges();
    c.know('rollout', [ro('1', { phase: 'Progressing', currentStepIndex: 0 })]);
    expect(
      c.entries(
        { kind: 'rollout', type: 'MODIFIED', object: ro('1', { phase: 'Progressing', currentStepIndex: 0 }) },
        AT,
      ),
    ).toEqual([]);
    const out = c.entries(
      { kind: 'rollout', type: 'MODIFIED', object: ro('2', { phase: 'Paused', currentStepIndex: 1 }) },
      AT,
    );
    expect(out.map((e) => [e.kind, e.summary, e.at])).toEqual([
      ['step', 'step 2/3 pause (until promoted)', AT],
      ['phase', 'Paused', AT],
    ]);
    // The same version again (a resync) is no change.
    expect(
      c.entries(
        { kind: 'rollout', type: 'MODIFIED', object: ro('2', { phase: 'Paused', currentStepIndex: 1 }) },
        AT,
      ),
    ).toEqual([]);
  });

  it('an unknown rollout is a first sight (nothing); a deleted one is forgotten, so its return is a first sight again', () => {
    const c = new TimelineChanges();
    const a = ro('1', { phase: 'Healthy', currentStepIndex: 3 });
    expect(c.entries({ kind: 'rollout', type: 'ADDED', object: a }, AT)).toEqual([]);
    expect(c.entries({ kind: 'rollout', type: 'DELETED', object: a }, AT)).toEqual([]);
    expect(
      c.entries(
        { kind: 'rollout', type: 'ADDED', object: ro('5', { phase: 'Paused', currentStepIndex: 1 }) },
        AT,
      ),
    ).toEqual([]);
  });

  it("a run's finished measurements once each, timed by the measurement", () => {
    const c = new TimelineChanges();
    c.know('analysisrun', [run([{ startedAt: 't1', finishedAt: '2026-12-05T00:59:10Z' }])]);
    const next = run([
      { startedAt: 't1', finishedAt: '2026-12-05T00:59:10Z' },
      { startedAt: 't2', finishedAt: '2026-12-05T00:59:20Z' },
      { startedAt: 't3' },
    ]);
    const out = c.entries({ kind: 'analysisrun', type: 'MODIFIED', object: next }, AT);
    expect(out.map((e) => [e.kind, e.at, e.rollout])).toEqual([
      ['measurement', '2026-12-05T00:59:20Z', 'webapp'],
    ]);
    expect(c.entries({ kind: 'analysisrun', type: 'MODIFIED', object: next }, AT)).toEqual([]);
  });

  it('an Event about the rollout, each count once by key; deletions and other kinds make nothing', () => {
    const c = new TimelineChanges();
    const [first] = c.entries({ kind: 'event', type: 'ADDED', object: event('u1', 1) }, AT);
    const [second] = c.entries({ kind: 'event', type: 'MODIFIED', object: event('u1', 2) }, AT);
    expect(first?.summary).toBe('RolloutPaused: Rollout is paused');
    expect(first?.at).toBe('2026-12-05T00:59:30Z');
    expect(second?.key).not.toBe(first?.key);
    expect(c.entries({ kind: 'event', type: 'DELETED', object: event('u1', 2) }, AT)).toEqual([]);
    expect(c.entries({ kind: 'pod', type: 'ADDED', object: event('u2', 1) }, AT)).toEqual([]);
  });
});
