import { describe, expect, it } from 'vitest';
import type { ReplicaSet, Rollout, RolloutStatus } from '../rollout/kube-types';
import type { KubeRequest } from './kube-request';
import type { PlanInput } from './plan-input';
import { PLANS } from './plans';
import { ActionRefusal } from './refusal';

/*
 * The expected bodies are the patches of kubectl-argo-rollouts at v1.9.1 (the version the project pins), read from
 * argoproj/argo-rollouts at tag v1.9.1:
 *   pkg/kubectl-argo-rollouts/cmd/promote/promote.go  getPatches and its patch constants (merge patches; the status
 *     patch goes to the `status` subresource, on NotFound the unified patch goes to the rollout, else the spec patch)
 *   pkg/kubectl-argo-rollouts/cmd/abort/abort.go      abortPatch: status subresource, on NotFound the same to the rollout
 *   pkg/kubectl-argo-rollouts/cmd/retry/retry.go      retryRolloutPatch: the same way
 *   pkg/kubectl-argo-rollouts/cmd/restart/restart.go  restartPatch: merge patch of spec.restartAt, time.RFC3339 in UTC
 *   pkg/kubectl-argo-rollouts/cmd/pause/pause.go      `{"spec":{"paused":true}}` (resume: promote.go's unpausePatch)
 *   pkg/kubectl-argo-rollouts/cmd/set/set_image.go    GET, the image replaced, Update (PUT), 5 attempts on conflict
 *   pkg/kubectl-argo-rollouts/cmd/undo/undo.go        JSON patch replace /spec/template, the pod-template-hash label removed
 * Each body is written here as the JSON text Argo sends, so a difference in a key or a null shows.
 */
const argo = (json: string): unknown => JSON.parse(json);
const unpause = argo('{"spec":{"paused":false}}');
const NONE = {};

const NOW = new Date('2026-03-04T05:06:07.891Z');
const STEPS = [{ setWeight: 20 }, { pause: {} }, { analysis: { templates: [] } }, { setWeight: 60 }];

function rollout(status: RolloutStatus, spec: { paused?: boolean; steps?: unknown[] } = {}): Rollout {
  return {
    metadata: { name: 'webapp', namespace: 'demo' },
    spec: {
      paused: spec.paused,
      strategy: { canary: { steps: (spec.steps ?? STEPS) as never } },
      template: {
        metadata: { labels: { app: 'webapp' } },
        spec: { containers: [{ name: 'webapp', image: 'webapp:v1.1' }] },
      },
    },
    status: { currentPodHash: 'h11', stableRS: 'h10', ...status },
  };
}
const input = <B>(ro: Rollout, body: B, more: Partial<PlanInput<B>> = {}): PlanInput<B> => ({
  rollout: ro,
  body,
  now: NOW,
  ...more,
});

const status = (body: unknown, fallback: unknown = body): KubeRequest => ({
  verb: 'patch',
  resource: { kind: 'Rollout', name: 'webapp', subresource: 'status' },
  type: 'merge',
  body,
  fallback,
});
const main = (body: unknown, type: 'merge' | 'json' = 'merge'): KubeRequest => ({
  verb: 'patch',
  resource: { kind: 'Rollout', name: 'webapp' },
  type,
  body,
});
const PAUSED = { pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-03-04T05:00:00Z' }] };

describe('promote: getPatches of promote.go (no flags)', () => {
  const cases: Array<[string, Rollout, KubeRequest[]]> = [
    [
      'paused by a pause step: clearPauseConditionsPatch, unified unpauseAndClearPauseConditionsPatch',
      rollout({ ...PAUSED, currentStepIndex: 1 }),
      [
        status(
          argo('{"status":{"pauseConditions":null}}'),
          argo('{"spec":{"paused":false},"status":{"pauseConditions":null}}'),
        ),
      ],
    ],
    [
      'paused by a pause step and by the user: the status patch, then unpausePatch',
      rollout({ ...PAUSED, currentStepIndex: 1 }, { paused: true }),
      [
        status(
          argo('{"status":{"pauseConditions":null}}'),
          argo('{"spec":{"paused":false},"status":{"pauseConditions":null}}'),
        ),
        main(unpause),
      ],
    ],
    [
      'a step analysis running, no pause condition: clearPauseConditionsPatchWithStep N+1',
      rollout({ currentStepIndex: 2 }),
      [
        status(
          argo('{"status":{"pauseConditions":null, "currentStepIndex":3}}'),
          argo('{"spec":{"paused":false},"status":{"pauseConditions":null, "currentStepIndex":3}}'),
        ),
      ],
    ],
    [
      'paused by the user only, mid-canary: the step patch and unpausePatch',
      rollout({ currentStepIndex: 1 }, { paused: true }),
      [
        status(
          argo('{"status":{"pauseConditions":null, "currentStepIndex":2}}'),
          argo('{"spec":{"paused":false},"status":{"pauseConditions":null, "currentStepIndex":2}}'),
        ),
        main(unpause),
      ],
    ],
    [
      'an Inconclusive step analysis paused by the controller: clearPauseConditionsAndControllerPausePatch N+1',
      rollout({
        ...PAUSED,
        controllerPause: true,
        currentStepIndex: 2,
        canary: { currentStepAnalysisRunStatus: { name: 'webapp-h11-2', status: 'Inconclusive' } },
      }),
      [
        status(
          argo('{"status":{"pauseConditions":null, "controllerPause":false, "currentStepIndex":3}}'),
          argo('{"spec":{"paused":false},"status":{"pauseConditions":null}}'),
        ),
      ],
    ],
    [
      'past the last step the index stays at the number of steps',
      rollout({ currentStepIndex: 4 }),
      [
        status(
          argo('{"status":{"pauseConditions":null, "currentStepIndex":4}}'),
          argo('{"spec":{"paused":false},"status":{"pauseConditions":null, "currentStepIndex":4}}'),
        ),
      ],
    ],
  ];
  it.each(cases)('%s', (_what, ro, want) => {
    expect(PLANS.promote.plan(input(ro, NONE))).toEqual(want);
  });

  it('a canary without steps, neither paused: nothing to send, so 409', () => {
    const ro = rollout({}, { steps: [] });
    expect(() => PLANS.promote.plan(input(ro, NONE))).toThrow(
      new ActionRefusal(409, 'conflict', 'cannot promote: nothing is paused and no step is waiting'),
    );
  });
});

describe('promote --full: getPatches of promote.go (full)', () => {
  const full = argo('{"status":{"promoteFull":true}}');
  const unified = argo('{"spec":{"paused":false},"status":{"promoteFull":true}}');
  it.each<[string, Rollout, KubeRequest[]]>([
    ['an update under way: promoteFullPatch', rollout({ currentStepIndex: 1 }), [status(full, unified)]],
    [
      'paused too: promoteFullPatch, then unpausePatch',
      rollout({}, { paused: true }),
      [status(full, unified), main(unpause)],
    ],
    ['the stable version already: nothing', rollout({ currentPodHash: 'h10' }), []],
  ])('%s', (_what, ro, want) => {
    expect(PLANS['promote-full'].plan(input(ro, NONE))).toEqual(want);
  });
});

describe('abort, retry, restart, pause, resume', () => {
  const ro = rollout({ currentStepIndex: 1 });
  it.each<[keyof typeof PLANS, KubeRequest[]]>([
    ['abort', [status(argo('{"status":{"abort":true}}'))]],
    ['retry', [status(argo('{"status":{"abort":false}}'))]],
    ['restart', [main(argo('{"spec":{"restartAt":"2026-03-04T05:06:07Z"}}'))]],
    ['pause', [main(argo('{"spec":{"paused":true}}'))]],
    ['resume', [main(unpause)]],
  ])('%s', (action, want) => {
    const plan = PLANS[action].plan as (i: PlanInput<unknown>) => KubeRequest[];
    expect(plan(input(ro, NONE))).toEqual(want);
  });
});

describe('launch: set image', () => {
  const ro = rollout({});
  it('PUTs the whole rollout with the first container image replaced, nothing else changed', () => {
    const [req, ...rest] = PLANS.launch.plan(input(ro, { image: 'webapp:v2' }));
    expect(rest).toEqual([]);
    const want = structuredClone(ro);
    const c = want.spec?.template?.spec?.containers?.[0];
    if (c) c.image = 'webapp:v2';
    expect(req).toEqual({
      verb: 'update',
      resource: { kind: 'Rollout', name: 'webapp' },
      body: want,
      shown: { spec: { template: { spec: { containers: [{ name: 'webapp', image: 'webapp:v2' }] } } } },
    });
    expect(ro.spec?.template?.spec?.containers?.[0]?.image).toBe('webapp:v1.1');
    expect(PLANS.launch.retryOnConflict).toBe(true);
  });
  it('the same image is 409; a rollout without containers is 422', () => {
    expect(() => PLANS.launch.plan(input(ro, { image: 'webapp:v1.1' }))).toThrow(
      /already the rollout's image/,
    );
    const bare = { ...ro, spec: { ...ro.spec, template: {} } };
    expect(() => PLANS.launch.plan(input(bare, { image: 'webapp:v2' }))).toThrow(
      new ActionRefusal(422, 'invalid_input', 'container (first) not found'),
    );
  });
});

describe('undo', () => {
  const rs = (revision: number, hash: string, image: string): ReplicaSet => ({
    metadata: {
      name: `webapp-${hash}`,
      annotations: { 'rollout.argoproj.io/revision': String(revision) },
      labels: { 'rollouts-pod-template-hash': hash },
    },
    spec: {
      template: {
        metadata: { labels: { app: 'webapp', 'rollouts-pod-template-hash': hash } },
        spec: { containers: [{ name: 'webapp', image }] },
      },
    },
  });
  const replicaSets = [rs(1, 'h10', 'webapp:v1.0'), rs(2, 'h11', 'webapp:v1.1')];
  const ro = rollout({});
  it('a JSON patch replacing /spec/template with the revision template, without its pod-template-hash label', () => {
    expect(PLANS.undo.plan(input(ro, { revision: 1 }, { replicaSets }))).toEqual([
      main(
        argo(
          '[{"op":"replace","path":"/spec/template","value":{"metadata":{"labels":{"app":"webapp"}},"spec":{"containers":[{"name":"webapp","image":"webapp:v1.0"}]}}}]',
        ),
        'json',
      ),
    ]);
  });
  it('an unknown revision is 404 listing the known ones; the current revision is 409', () => {
    expect(() => PLANS.undo.plan(input(ro, { revision: 7 }, { replicaSets }))).toThrow(
      new ActionRefusal(404, 'not_found', 'revision 7 not found (revisions: 1, 2)'),
    );
    expect(() => PLANS.undo.plan(input(ro, { revision: 2 }, { replicaSets }))).toThrow(
      new ActionRefusal(409, 'conflict', 'cannot undo: revision 2 is the current revision'),
    );
  });
});
