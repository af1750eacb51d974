import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decide } from './decide';
import { type FixtureCase, HASHES, observedFor } from './fixtures';
import { stepsHash } from './steps';
import type { CanaryStep, Condition } from './types';

/**
 * progressDeadlineSeconds / progressDeadlineAbort as Argo Rollouts v1.9.1 (rollout/sync.go calculateRolloutConditions,
 * utils/conditions RolloutProgressing / RolloutTimedOut): a canary step whose pods never become ready times out,
 * analysis and pause steps never do, progress renews the clock, and the abort sends traffic back to stable.
 */
const steps = (
  parse(readFileSync(path.join(__dirname, 'testdata/base.yaml'), 'utf8')) as {
    rollout: { spec: { strategy: { canary: { steps: CanaryStep[] } } } };
  }
).rollout.spec.strategy.canary.steps;
const rsName = `webapp-${HASHES.v2}`;
const progressing = (lastUpdateTime: string, reason = 'ReplicaSetUpdated', status = 'True'): Condition =>
  ({
    type: 'Progressing',
    status,
    reason,
    message:
      reason === 'ProgressDeadlineExceeded'
        ? `ReplicaSet "${rsName}" has timed out progressing.`
        : `ReplicaSet "${rsName}" is progressing.`,
    lastUpdateTime,
    lastTransitionTime: '2024-05-01T09:59:00Z',
  }) as Condition;

/** A canary of v2 at `step` whose one pod is not Ready; the last status written saw the same counts. */
function stuck(opts: {
  now: string;
  step?: number;
  spec?: Record<string, unknown>;
  cond?: Condition;
  status?: Record<string, unknown>;
  available?: number;
}): FixtureCase {
  return {
    name: 'stuck canary',
    now: opts.now,
    rollout: {
      spec: { template: 'v2', ...opts.spec },
      status: {
        stableRS: HASHES.v1,
        currentPodHash: HASHES.v2,
        currentStepIndex: opts.step ?? 0,
        currentStepHash: stepsHash(steps),
        replicas: 6,
        updatedReplicas: 1,
        readyReplicas: 5,
        availableReplicas: 5,
        conditions: [opts.cond ?? progressing('2024-05-01T10:00:00Z')],
        ...opts.status,
      },
    },
    replicaSets: [
      { v: 'v1', revision: 1, replicas: 5, available: 5 },
      { v: 'v2', revision: 2, replicas: 1, available: opts.available ?? 0 },
    ],
    services: { stable: HASHES.v1, canary: HASHES.v2 },
    weight: 10,
    expect: {},
  };
}
const cond = (d: ReturnType<typeof decide>) => d.status.conditions?.find((c) => c.type === 'Progressing');
const events = (d: ReturnType<typeof decide>) =>
  d.actions.flatMap((a) => (a.type === 'event' ? [`${a.eventType} ${a.reason}: ${a.message}`] : []));

describe('progress deadline', () => {
  it.each([
    ['just before the deadline: still progressing', '2024-05-01T10:01:00Z', {}, 'True', 'ReplicaSetUpdated'],
    [
      'past the deadline: ProgressDeadlineExceeded',
      '2024-05-01T10:01:01Z',
      {},
      'False',
      'ProgressDeadlineExceeded',
    ],
    ['no deadline set: Argo’s 600 s, not yet', '2024-05-01T10:10:00Z', null, 'True', 'ReplicaSetUpdated'],
    ['no deadline set: past 600 s', '2024-05-01T10:10:01Z', null, 'False', 'ProgressDeadlineExceeded'],
    ['an analysis step never times out', '2024-05-01T11:00:00Z', { step: 3 }, 'True', 'ReplicaSetUpdated'],
    ['a pause step never times out', '2024-05-01T11:00:00Z', { step: 5 }, 'Unknown', 'RolloutPaused'],
  ])('%s', (_name, now, o, status, reason) => {
    const spec = o === null ? {} : { progressDeadlineSeconds: 60 };
    const d = decide(observedFor(stuck({ now, spec, ...(o ?? {}) })));
    expect(cond(d)).toMatchObject({ status, reason });
    expect(d.status.abort).toBe(false);
  });

  it('past the deadline without progressDeadlineAbort: Degraded, no abort', () => {
    const d = decide(
      observedFor(stuck({ now: '2024-05-01T10:01:01Z', spec: { progressDeadlineSeconds: 60 } })),
    );
    expect(d.status).toMatchObject({ phase: 'Degraded', abort: false });
    expect(d.status.message).toBe(
      `ProgressDeadlineExceeded: ReplicaSet "${rsName}" has timed out progressing.`,
    );
    expect(events(d).filter((e) => e.includes('RolloutAborted'))).toEqual([]);
    expect(cond(d)?.lastUpdateTime).toBe('2024-05-01T10:01:01Z');
  });

  it('with progressDeadlineAbort: aborted at once (Warning RolloutAborted), traffic back to stable on the next pass', () => {
    const spec = { progressDeadlineSeconds: 60, progressDeadlineAbort: true };
    const first = decide(observedFor(stuck({ now: '2024-05-01T10:01:01Z', spec })));
    expect(first.status).toMatchObject({ phase: 'Degraded', abort: true, abortedAt: '2024-05-01T10:01:01Z' });
    expect(cond(first)).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(events(first)).toContain(
      `Warning RolloutAborted: ReplicaSet "${rsName}" has timed out progressing.`,
    );
    const c = stuck({ now: '2024-05-01T10:01:02Z', spec });
    c.rollout = { ...c.rollout, status: first.status };
    const next = decide(observedFor(c));
    expect(next.actions).toContainEqual(expect.objectContaining({ type: 'setWeights', weight: 0 }));
    expect(cond(next)).toMatchObject({
      status: 'False',
      reason: 'RolloutAborted',
      message: 'Rollout aborted update to revision 2',
    });
    expect(events(next)).toContain('Warning RolloutAborted: Rollout aborted update to revision 2');
    expect(next.status.phase).toBe('Degraded');
    expect(next.status.currentStepIndex).toBe(0);
  });

  it('progress (a canary pod became Ready) renews the clock past the deadline', () => {
    const d = decide(
      observedFor(
        stuck({ now: '2024-05-01T10:05:00Z', spec: { progressDeadlineSeconds: 60 }, available: 1 }),
      ),
    );
    expect(cond(d)).toMatchObject({
      status: 'True',
      reason: 'ReplicaSetUpdated',
      lastUpdateTime: '2024-05-01T10:05:00Z',
      lastTransitionTime: '2024-05-01T09:59:00Z',
    });
  });

  it('an exceeded deadline stays until progress; the retry of an abort starts a new clock', () => {
    const spec = { progressDeadlineSeconds: 60 };
    const kept = decide(
      observedFor(
        stuck({
          now: '2024-05-01T12:00:00Z',
          step: 3,
          spec,
          cond: progressing('2024-05-01T10:01:01Z', 'ProgressDeadlineExceeded', 'False'),
        }),
      ),
    );
    expect(cond(kept)).toMatchObject({
      reason: 'ProgressDeadlineExceeded',
      lastUpdateTime: '2024-05-01T10:01:01Z',
    });
    const retried = decide(
      observedFor(
        stuck({
          now: '2024-05-01T12:00:00Z',
          spec,
          cond: { ...progressing('2024-05-01T10:01:02Z'), status: 'False', reason: 'RolloutAborted' },
        }),
      ),
    );
    expect(cond(retried)).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
  });

  it('the controller comes back when the deadline passes', () => {
    const d = decide(
      observedFor(stuck({ now: '2024-05-01T10:00:30Z', spec: { progressDeadlineSeconds: 60 } })),
    );
    expect(d.requeueAfterMs).toBe(31_000);
  });
});
