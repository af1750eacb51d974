import { describe, expect, it } from 'vitest';
import type { RolloutObject } from '@/lib/rollout/rollout-schema';
import {
  type AttributionInput,
  attribute,
  type RunRecord,
  runRecordOf,
  SKEW_SECONDS,
  stepAttempts,
  weightChangesOf,
} from './attribution';
import { currentWeight } from './rollout-target';

/** The demo strategy (manifests/app/50-rollout.yaml): analyses at steps 1, 3, 5 after 10, 30, 60 %. */
const STEPS = [
  { setWeight: 10 },
  { analysis: {} },
  { setWeight: 30 },
  { analysis: {} },
  { setWeight: 60 },
  { analysis: {} },
  { setWeight: 100 },
];
const RO = { name: 'webapp', uid: 'uid-webapp' };
const V10 = '6d9f8c7b5';
const V11 = '7c4b9d8f6';
const T0 = Date.parse('2025-01-01T10:00:00Z') / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

interface RunSpec {
  hash: string;
  revision: number;
  step?: number;
  /** Argo's collision counter (`.N`). */
  n?: number;
  at: number;
  phase?: string;
  terminate?: boolean;
  owner?: { name: string; uid?: string };
}

/** An AnalysisRun as Argo v1.9.1 creates it (rollout/analysis.go), read back through runRecordOf. */
function run(s: RunSpec): RunRecord {
  const owner = s.owner ?? RO;
  const step = s.step;
  const base = `${owner.name}-${s.hash}-${s.revision}${step === undefined ? '' : `-${step}`}`;
  const labels: Record<string, string> = {
    'rollouts-pod-template-hash': s.hash,
    'rollout-type': step === undefined ? 'Background' : 'Step',
    app: 'webapp',
  };
  if (step !== undefined) labels['step-index'] = String(step);
  const rec = runRecordOf({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name: s.n ? `${base}.${s.n}` : base,
      namespace: 'demo',
      creationTimestamp: iso(T0 + s.at),
      labels,
      annotations: { 'rollout.argoproj.io/revision': String(s.revision) },
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          name: owner.name,
          uid: owner.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { metrics: [], ...(s.terminate ? { terminate: true } : {}) },
    status: s.phase ? { phase: s.phase } : {},
  });
  if (!rec) throw new Error('unreadable run');
  return rec;
}

function input(
  hash: string,
  revision: number,
  runs: RunRecord[],
  o: Partial<AttributionInput> = {},
): AttributionInput {
  return {
    rollout: RO,
    hash,
    revision: String(revision),
    runs,
    steps: STEPS,
    weight: null,
    aborted: false,
    stepIndex: null,
    now: T0 + 10_000,
    ...o,
  };
}

/** Step starts relative to T0. */
const rel = (a: ReturnType<typeof attribute>) => ({
  since: a.since - T0,
  number: a.attempt.number,
  start: a.attempt.start - T0,
  steps: a.attempt.stepStarts.map((s) => [s.attempt, s.start - T0]),
  basis: a.basis,
});

/** `./run.sh canary-success`: v1.0 (rev 1) → v1.1 (rev 2), promoted at each analysis step. */
const SUCCESS_V11 = [
  run({ hash: V11, revision: 2, step: 1, at: 100, phase: 'Successful' }),
  run({ hash: V11, revision: 2, step: 3, at: 186, phase: 'Successful' }),
  run({ hash: V11, revision: 2, step: 5, at: 190, phase: 'Successful' }),
];

describe('attribute: the seed order (story a)', () => {
  it('a relaunched v1.0 (reused ReplicaSet, revision 3) starts at its own first run, not before', () => {
    const runs = [...SUCCESS_V11, run({ hash: V10, revision: 3, step: 1, at: 400, phase: 'Running' })];
    const a = attribute(input(V10, 3, runs, { stepIndex: 1, weight: 10 }));
    expect(rel(a)).toEqual({ since: 400, number: 1, start: 400, steps: [[1, 400]], basis: 'step-analysis' });
  });

  it('each later step starts at its own run: promote evidence at 30 % never includes the 10 % traffic', () => {
    const runs = [
      ...SUCCESS_V11,
      run({ hash: V10, revision: 3, step: 1, at: 400, phase: 'Successful' }),
      run({ hash: V10, revision: 3, step: 3, at: 490, phase: 'Running' }),
    ];
    const a = attribute(input(V10, 3, runs, { stepIndex: 3, weight: 30 }));
    expect(rel(a).steps).toEqual([
      [1, 400],
      [1, 490],
    ]);
    expect(a.since - T0).toBe(400);
    expect(a.attempt.stepsPerAttempt).toBe(3);
  });

  it('between analyses, a weight already moved on starts a step now (its run does not exist yet)', () => {
    const runs = [run({ hash: V10, revision: 3, step: 1, at: 400, phase: 'Successful' })];
    const now = T0 + 470;
    const at30 = attribute(input(V10, 3, runs, { stepIndex: 2, weight: 30, now }));
    expect(rel(at30).steps).toEqual([
      [1, 400],
      [1, 470],
    ]);
    // still at 10 % while the 30 % pods come up: the 10 % step goes on
    expect(rel(attribute(input(V10, 3, runs, { stepIndex: 2, weight: 10, now }))).steps).toEqual([[1, 400]]);
  });
});

describe('attribute: revisions inherit nothing (story b, undo)', () => {
  it('a relaunch of v1.0 after a failed v1.1 canary ignores v1.1 and v1.0s earlier revision', () => {
    const runs = [
      run({ hash: V10, revision: 1, step: 1, at: 50, phase: 'Failed' }), // v1.0 once failed as revision 1
      run({ hash: V11, revision: 2, step: 1, at: 100, phase: 'Failed' }),
      run({ hash: V10, revision: 3, step: 1, at: 300, phase: 'Running' }),
    ];
    const a = attribute(input(V10, 3, runs, { stepIndex: 1, weight: 10 }));
    expect(rel(a)).toMatchObject({ since: 300, number: 1, steps: [[1, 300]] });
  });

  it('undo back and forth: v1.1 at revision 4 starts afresh although its revision-2 runs exist', () => {
    const runs = [
      ...SUCCESS_V11, // revision 2, promoted
      run({ hash: V10, revision: 3, step: 1, at: 300, phase: 'Successful' }), // undo to v1.0, then aborted
      run({ hash: V10, revision: 3, step: 3, at: 380, phase: 'Successful', terminate: true }),
      run({ hash: V11, revision: 4, step: 1, at: 600, phase: 'Running' }), // undo to v1.1
    ];
    expect(rel(attribute(input(V11, 4, runs, { stepIndex: 1 })))).toMatchObject({
      since: 600,
      number: 1,
      steps: [[1, 600]],
    });
  });

  it('runs of another rollout with the same template hash and revision number are not ours', () => {
    const other = { name: 'webapp-b', uid: 'uid-b' };
    const runs = [
      run({ hash: V10, revision: 3, step: 1, at: 100, phase: 'Failed', owner: other }),
      run({ hash: V10, revision: 3, step: 1, n: 1, at: 200, phase: 'Running', owner: other }),
      run({ hash: V10, revision: 3, step: 1, at: 300, phase: 'Running' }),
    ];
    expect(rel(attribute(input(V10, 3, runs)))).toMatchObject({ since: 300, number: 1, steps: [[1, 300]] });
    // without uids, the owner's name decides
    const noUid = runs.map((r) => ({ ...r, owner: { ...r.owner, uid: undefined } }));
    const a = attribute({ ...input(V10, 3, noUid), rollout: { name: 'webapp' } });
    expect(rel(a)).toMatchObject({ since: 300, number: 1 });
  });
});

describe('attribute: retries of one hash+revision', () => {
  it('a retry after a manual abort is attempt 2; rollback evidence keeps attempt 1, promote restarts', () => {
    const runs = [
      run({ hash: V11, revision: 2, step: 1, at: 100, phase: 'Successful' }),
      run({ hash: V11, revision: 2, step: 3, at: 190, phase: 'Successful', terminate: true }), // aborted
      run({ hash: V11, revision: 2, step: 1, n: 1, at: 400, phase: 'Successful' }),
      run({ hash: V11, revision: 2, step: 3, n: 1, at: 470, phase: 'Running' }),
    ];
    expect(rel(attribute(input(V11, 2, runs, { stepIndex: 3, weight: 30 })))).toEqual({
      since: 100,
      number: 2,
      start: 400,
      steps: [
        [1, 100],
        [1, 190],
        [2, 400],
        [2, 470],
      ],
      basis: 'step-analysis',
    });
  });

  it('a retry after a Failed analysis is attempt 2, before and after its first run exists', () => {
    const failed = [run({ hash: V11, revision: 2, step: 1, at: 100, phase: 'Failed' })];
    // aborted: still the failed attempt
    expect(rel(attribute(input(V11, 2, failed, { aborted: true, stepIndex: 0, weight: 0 })))).toMatchObject({
      number: 1,
      steps: [[1, 100]],
    });
    // retried, walking setWeight 10 again: attempt 2 has no evidence yet
    const now = T0 + 350;
    expect(rel(attribute(input(V11, 2, failed, { stepIndex: 0, weight: 10, now })))).toEqual({
      since: 100,
      number: 2,
      start: 350,
      steps: [
        [1, 100],
        [2, 350],
      ],
      basis: 'step-analysis',
    });
    const retried = [...failed, run({ hash: V11, revision: 2, step: 1, n: 1, at: 380, phase: 'Running' })];
    expect(rel(attribute(input(V11, 2, retried, { stepIndex: 1, weight: 10 })))).toMatchObject({
      since: 100,
      number: 2,
      start: 380,
    });
  });

  it('a manual abort then retry after a successful step is seen from the step index going back', () => {
    const runs = [run({ hash: V11, revision: 2, step: 1, at: 100, phase: 'Successful' })];
    const now = T0 + 300;
    expect(rel(attribute(input(V11, 2, runs, { stepIndex: 0, weight: 10, now })))).toMatchObject({
      number: 2,
      start: 300,
    });
  });

  it('an Inconclusive run promoted by a human runs again in the same attempt and the same step', () => {
    const runs = [
      run({ hash: V11, revision: 2, step: 1, at: 100, phase: 'Successful' }),
      run({ hash: V11, revision: 2, step: 3, at: 190, phase: 'Inconclusive' }),
      run({ hash: V11, revision: 2, step: 3, n: 1, at: 900, phase: 'Running' }),
    ];
    expect(rel(attribute(input(V11, 2, runs, { stepIndex: 3, weight: 30 })))).toMatchObject({
      number: 1,
      steps: [
        [1, 100],
        [1, 190],
      ],
    });
  });

  it('promoting past a running analysis terminates it without starting an attempt', () => {
    const runs = [
      run({ hash: V11, revision: 2, step: 1, at: 100, phase: 'Successful', terminate: true }),
      run({ hash: V11, revision: 2, step: 3, at: 130, phase: 'Running' }),
    ];
    expect(rel(attribute(input(V11, 2, runs, { stepIndex: 3, weight: 30 })))).toMatchObject({
      number: 1,
      steps: [
        [1, 100],
        [1, 130],
      ],
    });
  });
});

describe('attribute: clocks', () => {
  const ADJACENT = [
    { setWeight: 10 },
    { analysis: {} },
    { analysis: {} },
    { setWeight: 30 },
    { analysis: {} },
  ];

  it('adjacent analyses stamped out of order by a skewed clock stay one attempt and one step (same weight)', () => {
    const runs = [
      run({ hash: V11, revision: 2, step: 2, at: 100, phase: 'Successful' }), // created after step 1, stamped 1 s earlier
      run({ hash: V11, revision: 2, step: 1, at: 100 + SKEW_SECONDS, phase: 'Successful' }),
      run({ hash: V11, revision: 2, step: 4, at: 160, phase: 'Running' }),
    ];
    const a = attribute(input(V11, 2, runs, { steps: ADJACENT, stepIndex: 4, weight: 30 }));
    expect(rel(a)).toMatchObject({
      since: 101,
      number: 1,
      steps: [
        [1, 101],
        [1, 160],
      ],
    });
    expect(a.attempt.stepsPerAttempt).toBe(3);
  });

  it('runs of one step keep their collision-counter order whatever their timestamps', () => {
    const runs = [
      run({ hash: V11, revision: 2, step: 1, n: 1, at: 100, phase: 'Running' }),
      run({ hash: V11, revision: 2, step: 1, at: 101, phase: 'Failed' }),
    ];
    expect(stepAttempts(runs).map((a) => a.map((r) => r.name))).toEqual([
      [`webapp-${V11}-2-1`],
      [`webapp-${V11}-2-1.1`],
    ]);
    const a = attribute(input(V11, 2, runs, { stepIndex: 1, weight: 10 }));
    expect(rel(a)).toMatchObject({
      number: 2,
      steps: [
        [1, 101],
        [2, 101],
      ],
    });
  });

  it('a retry within the same second as an instantly failed run is still a new attempt', () => {
    const runs = [
      run({ hash: V11, revision: 2, step: 1, at: 100, phase: 'Successful' }),
      run({ hash: V11, revision: 2, step: 3, at: 200, phase: 'Failed' }),
      run({ hash: V11, revision: 2, step: 1, n: 1, at: 200, phase: 'Running' }),
    ];
    expect(rel(attribute(input(V11, 2, runs, { stepIndex: 1, weight: 10 })))).toMatchObject({
      number: 2,
      start: 200,
    });
  });

  it('step starts never go backwards', () => {
    const runs = [
      run({ hash: V11, revision: 2, step: 1, at: 100, phase: 'Successful' }),
      run({ hash: V11, revision: 2, step: 3, at: 99, phase: 'Running' }),
    ];
    const starts = attribute(input(V11, 2, runs)).attempt.stepStarts.map((s) => s.start);
    expect(starts).toEqual([...starts].sort((x, y) => x - y));
  });
});

describe('attribute: background analysis and no analysis', () => {
  const BG_STEPS = [{ setWeight: 10 }, { pause: { duration: '1m' } }, { setWeight: 30 }, { pause: {} }];

  it('attempts from background runs, steps of the current attempt from TrafficWeightUpdated events', () => {
    const runs = [
      run({ hash: V11, revision: 2, at: 100, phase: 'Successful', terminate: true }), // aborted
      run({ hash: V11, revision: 2, n: 1, at: 500, phase: 'Running' }),
    ];
    const weightChanges = [
      { at: T0 + 105, from: 0, to: 10 }, // attempt 1: overwritten in real clusters, ignored here
      { at: T0 + 130, from: 0, to: 0 },
      { at: T0 + 503, from: 0, to: 10 },
      { at: T0 + 570, from: 10, to: 30 },
    ];
    const a = attribute(input(V11, 2, runs, { steps: BG_STEPS, stepIndex: 3, weight: 30, weightChanges }));
    expect(rel(a)).toEqual({
      since: 100,
      number: 2,
      start: 503,
      steps: [
        [1, 100],
        [2, 503],
        [2, 570],
      ],
      basis: 'background-analysis',
    });
    expect(a.attempt.stepsPerAttempt).toBe(2);
  });

  it('a background run rerun after Inconclusive is the same attempt', () => {
    const runs = [
      run({ hash: V11, revision: 2, at: 100, phase: 'Inconclusive' }),
      run({ hash: V11, revision: 2, n: 1, at: 500, phase: 'Running' }),
    ];
    expect(rel(attribute(input(V11, 2, runs, { steps: BG_STEPS })))).toMatchObject({
      number: 1,
      steps: [[1, 100]],
    });
  });

  it('with no run of this revision there is no attributable evidence yet', () => {
    const now = T0 + 42;
    const a = attribute(input(V10, 3, SUCCESS_V11, { now }));
    expect(rel(a)).toEqual({ since: 42, number: 1, start: 42, steps: [[1, 42]], basis: 'none' });
  });
});

describe('event and weight readers', () => {
  it('reads Argo and lab TrafficWeightUpdated messages of this rollout only', () => {
    const ev = (name: string, message: string, at: number, uid = RO.uid) => ({
      reason: 'TrafficWeightUpdated',
      message,
      involvedObject: { kind: 'Rollout', name, uid },
      lastTimestamp: iso(T0 + at),
    });
    expect(
      weightChangesOf(
        [
          ev('webapp', 'Traffic weight updated to 10', 5),
          ev('webapp', 'Traffic weight updated from 10 to 30, additional: []', 9),
          ev('webapp', 'Traffic weight updated from 30 to 60', 7, 'old-uid'),
          ev('other', 'Traffic weight updated from 0 to 10', 3),
          // client-node's typed Event model gives Dates
          {
            ...ev('webapp', 'Traffic weight updated from 30 to 60', 11),
            lastTimestamp: new Date((T0 + 11) * 1000),
          },
        ],
        RO,
      ),
    ).toEqual([
      { at: T0 + 5, from: null, to: 10 },
      { at: T0 + 9, from: 10, to: 30 },
      { at: T0 + 11, from: 30, to: 60 },
    ]);
  });

  it('takes the weight from status.canary.weights, else the last setWeight reached', () => {
    const ro = (status: Record<string, unknown>) =>
      ({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'webapp', namespace: 'demo' },
        spec: {},
        status,
      }) as unknown as RolloutObject;
    expect(
      currentWeight(ro({ currentStepIndex: 3, canary: { weights: { canary: { weight: 25 } } } }), STEPS),
    ).toBe(25);
    expect(currentWeight(ro({ currentStepIndex: 3 }), STEPS)).toBe(30);
    expect(currentWeight(ro({ currentStepIndex: 7 }), STEPS)).toBe(100);
    expect(currentWeight(ro({ currentStepIndex: 3, abort: true }), STEPS)).toBe(0);
    expect(currentWeight(ro({}), STEPS)).toBeNull();
  });
});
