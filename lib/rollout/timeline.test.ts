import { describe, expect, it } from 'vitest';
import type { AnalysisRun, Rollout } from './kube-types';
import { analysisRunChanges, eventEntry, rolloutChanges, verdictEntry } from './timeline';

const ro = (status: Rollout['status']): Rollout => ({
  metadata: { name: 'webapp', namespace: 'demo' },
  spec: { strategy: { canary: { steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 100 }] } } },
  status: { currentPodHash: 'abc', ...status },
});
const AT = '2026-11-26T10:42:05Z';

describe('rolloutChanges', () => {
  it('records a step, the weight it set and the phase it reached', () => {
    const prev = ro({
      phase: 'Progressing',
      currentStepIndex: 0,
      canary: { weights: { canary: { weight: 10 } } },
    });
    const next = ro({
      phase: 'Paused',
      currentStepIndex: 1,
      canary: { weights: { canary: { weight: 10 } } },
    });
    const entries = rolloutChanges(prev, next, AT);
    expect(entries.map((e) => [e.kind, e.summary])).toEqual([
      ['step', 'step 2/3 pause (until promoted)'],
      ['phase', 'Paused'],
    ]);
    const w = rolloutChanges(
      next,
      ro({ ...next.status, canary: { weights: { canary: { weight: 100 } } } }),
      AT,
    );
    expect(w.map((e) => e.summary)).toEqual(['canary weight 10 % → 100 %']);
  });

  it('records nothing for the first sight of a rollout or an unchanged one', () => {
    const r = ro({ phase: 'Healthy', currentStepIndex: 3 });
    expect(rolloutChanges(undefined, r, AT)).toEqual([]);
    expect(rolloutChanges(r, r, AT)).toEqual([]);
  });
});

describe('rolloutChanges keys are deterministic', () => {
  const version = (rv: string | undefined, status: Rollout['status']): Rollout => ({
    ...ro(status),
    metadata: { name: 'webapp', namespace: 'demo', ...(rv ? { resourceVersion: rv } : {}) },
  });
  const prev = version('41', {
    phase: 'Progressing',
    currentStepIndex: 0,
    canary: { weights: { canary: { weight: 0 } } },
  });
  const next = (rv: string | undefined) =>
    version(rv, { phase: 'Paused', currentStepIndex: 1, canary: { weights: { canary: { weight: 10 } } } });
  const keys = (n: Rollout, at: string) => rolloutChanges(prev, n, at).map((e) => e.key);

  it.each([
    [
      'two recorders, different clocks, same version',
      next('42'),
      '2026-11-26T10:42:05Z',
      next('42'),
      '2026-11-26T10:42:09Z',
      true,
    ],
    [
      'a replay after a takeover, minutes later',
      next('42'),
      '2026-11-26T10:42:05Z',
      next('42'),
      '2026-11-26T10:49:00Z',
      true,
    ],
    [
      'the same change in another version (a retry)',
      next('42'),
      '2026-11-26T10:42:05Z',
      next('97'),
      '2026-11-26T10:42:05Z',
      false,
    ],
    [
      'no resourceVersion: the clock is all there is',
      next(undefined),
      '2026-11-26T10:42:05Z',
      next(undefined),
      '2026-11-26T10:42:09Z',
      false,
    ],
  ])('%s → same keys: %s', (_what, a, atA, b, atB, same) => {
    const [ka, kb] = [keys(a as Rollout, atA as string), keys(b as Rollout, atB as string)];
    expect(ka).toHaveLength(3);
    expect(ka.every((k) => !k.includes(atA as string)) || !(a as Rollout).metadata?.resourceVersion).toBe(
      true,
    );
    expect(ka.join() === kb.join()).toBe(same);
  });

  it('names hash, change and version', () => {
    expect(keys(next('42'), '2026-11-26T10:42:05Z')).toEqual([
      'demo/webapp/abc/step/1/42',
      'demo/webapp/abc/weight/10/42',
      'demo/webapp/abc/phase/Paused/42',
    ]);
  });
});

describe('analysisRunChanges', () => {
  const run = (
    measurements: Array<{ phase: string; value: string; startedAt: string; finishedAt: string }>,
    phase = 'Running',
  ): AnalysisRun => ({
    metadata: {
      name: 'webapp-abc-1',
      namespace: 'demo',
      ownerReferences: [{ kind: 'Rollout', name: 'webapp' }],
    },
    status: { phase, metricResults: [{ name: 'slo-judge', measurements }] },
  });
  // Values as Argo's web provider stores them (the JSON encoding: a string with its quotes).
  const m1 = { phase: 'Inconclusive', value: '"pause"', startedAt: 't1', finishedAt: '2026-11-26T10:42:10Z' };
  const m2 = { phase: 'Successful', value: '"promote"', startedAt: 't2', finishedAt: '2026-11-26T10:42:20Z' };

  it('records each new measurement once, then the verdict', () => {
    const first = analysisRunChanges(undefined, run([m1]), AT);
    expect(first.map((e) => e.summary)).toEqual([
      'webapp-abc-1 slo-judge: Inconclusive (pause)',
      'analysis webapp-abc-1 Running',
    ]);
    const second = analysisRunChanges(run([m1]), run([m1, m2], 'Successful'), AT);
    expect(second.map((e) => e.summary)).toEqual([
      'webapp-abc-1 slo-judge: Successful (promote)',
      'analysis webapp-abc-1 Successful',
    ]);
    expect(second[0]?.rollout).toBe('webapp');
    expect(second[0]?.details).toMatchObject({ value: 'promote' });
  });

  it("dates a phase by the run's own times, not the recorder's (a run seen late, after a restart)", () => {
    const late = '2026-11-26T11:30:00Z'; // when a restarted recorder first lists the runs
    const withTimes = (r: AnalysisRun, times: { startedAt?: string; completedAt?: string }) => ({
      ...r,
      status: { ...r.status, ...times },
    });
    const running = analysisRunChanges(
      undefined,
      withTimes(run([m1]), { startedAt: '2026-11-26T10:42:05Z' }),
      late,
    );
    expect(running.find((e) => e.kind === 'analysis')?.at).toBe('2026-11-26T10:42:05Z');
    const done = analysisRunChanges(
      undefined,
      withTimes(run([m1, m2], 'Successful'), { completedAt: '2026-11-26T10:42:21Z' }),
      late,
    );
    expect(done.find((e) => e.kind === 'analysis')?.at).toBe('2026-11-26T10:42:21Z');
    // no completedAt (Argo before 1.7): the newest finished measurement
    const older = analysisRunChanges(undefined, run([m2, m1], 'Failed'), late);
    expect(older.find((e) => e.kind === 'analysis')?.at).toBe('2026-11-26T10:42:20Z');
    // nothing on the run to date it by: the recorder's time
    expect(analysisRunChanges(undefined, run([m1]), late).find((e) => e.kind === 'analysis')?.at).toBe(late);
  });
});

describe('eventEntry', () => {
  it('keeps Rollout events with reason and message, keyed by uid and count', () => {
    const e = eventEntry({
      metadata: { uid: 'u1', namespace: 'demo' },
      involvedObject: { kind: 'Rollout', name: 'webapp', namespace: 'demo' },
      reason: 'RolloutAborted',
      message: 'Rollout aborted update to revision 2',
      type: 'Warning',
      count: 2,
      lastTimestamp: AT,
    } as never);
    expect(e).toMatchObject({
      key: 'event/u1/2',
      at: AT,
      rollout: 'webapp',
      summary: 'RolloutAborted: Rollout aborted update to revision 2',
    });
    expect(eventEntry({ metadata: {}, involvedObject: { kind: 'Pod', name: 'p' } } as never)).toBeNull();
  });
});

describe('verdictEntry', () => {
  const report = {
    namespace: 'demo',
    rollout: 'webapp',
    verdict: 'rollback' as const,
    explanation: 'ROLLBACK — error rate: 20.1 % of 412 canary requests failed, above 1 %.',
    canary: { podHash: 'abc' },
    window: { since: 1795700000 },
    slos: [
      { name: 'success-rate', status: 'fail' },
      { name: 'error-rate', status: 'fail' },
      { name: 'latency-p95', status: 'pass' },
    ],
  };

  it('records a rollback with the explanation and the failing SLOs, once per canary attempt', () => {
    const e = verdictEntry(report, AT);
    expect(e).toMatchObject({
      kind: 'analysis',
      source: 'analysis',
      summary: report.explanation,
      details: { verdict: 'rollback', failing: ['success-rate', 'error-rate'] },
    });
    expect(verdictEntry(report, '2026-11-26T10:43:00Z')?.key).toBe(e?.key);
    expect(verdictEntry({ ...report, window: { since: 1795700600 } }, AT)?.key).not.toBe(e?.key);
  });

  it('records nothing for PAUSE or a judgement without a rollout', () => {
    expect(verdictEntry({ ...report, verdict: 'pause' }, AT)).toBeNull();
    expect(verdictEntry({ ...report, rollout: null }, AT)).toBeNull();
  });
});
