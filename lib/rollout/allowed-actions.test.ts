import { describe, expect, it } from 'vitest';
import {
  type AllowedActions,
  allowedActions,
  ROLLOUT_ACTIONS,
  type RolloutActionName,
} from './allowed-actions';
import type { CanaryStep, Rollout } from './kube-types';
import { rolloutView } from './rollout-view';
import { loadFixtures } from './testdata/load-fixtures';

/** `true` = allowed; a string = refused with exactly this reason. */
type Row = Record<RolloutActionName, true | string>;

const ABORTED = 'the rollout is aborted: retry or undo first';
const NOTHING_WAITING = 'nothing is paused and no step is waiting';
const NO_STATUS = 'the controller has not reported a status yet';
const FULLY = 'already fully promoted';
const HEALTHY = 'healthy with nothing in progress';

/** A canary under way, not paused: what an operator may do while it moves on its own. */
const moving: Row = {
  promote: true,
  'promote-full': true,
  abort: true,
  retry: 'not aborted',
  restart: true,
  pause: true,
  resume: 'not paused',
  undo: true,
  launch: true,
};
/** Stable and nothing under way. */
const settled: Row = {
  promote: NOTHING_WAITING,
  'promote-full': FULLY,
  abort: HEALTHY,
  retry: 'not aborted',
  restart: true,
  pause: true,
  resume: 'not paused',
  undo: 'no other revision to go back to',
  launch: true,
};

/** Every rollout state of testdata/ (one fixture each) and what each of the nine actions may do there. */
const TABLE: Record<string, Row> = {
  'aborted.yaml': {
    ...moving,
    promote: ABORTED,
    'promote-full': ABORTED,
    abort: 'already aborted',
    retry: true,
  },
  'analysis-running.yaml': moving, // Promote moves past the running step analysis (currentStepIndex N+1)
  'background-analysis-inconclusive.yaml': moving, // paused by analysis: Promote clears the pause
  'finishing.yaml': { ...moving, promote: NOTHING_WAITING }, // all steps done: nothing left to promote
  'healthy.yaml': settled,
  'inconclusive.yaml': moving, // paused by an Inconclusive step analysis
  'no-status.yaml': { ...settled, 'promote-full': NO_STATUS, abort: NO_STATUS },
  'paused-duration.yaml': moving,
  'paused-indefinite.yaml': moving,
  'progressing-step-3.yaml': moving,
  'promote-full.yaml': moving,
  'stale-generation.yaml': settled,
  'undo.yaml': moving,
  'user-paused.yaml': { ...settled, promote: true, pause: 'already paused', resume: true },
};

const asChecks = (row: Row): AllowedActions =>
  Object.fromEntries(
    ROLLOUT_ACTIONS.map((a) => [
      a,
      row[a] === true ? { ok: true, reason: null } : { ok: false, reason: row[a] },
    ]),
  ) as AllowedActions;

const fixtures = loadFixtures();

describe('allowed actions for every rollout state in the fixtures (testdata/)', () => {
  it('the table has a row for every fixture, and every row names all nine actions', () => {
    expect(Object.keys(TABLE).sort()).toEqual(fixtures.map((f) => f.file).sort());
    for (const row of Object.values(TABLE))
      expect(Object.keys(row).sort()).toEqual([...ROLLOUT_ACTIONS].sort());
  });

  it.each(fixtures.map((f) => [f.file, f.name, f] as const))('%s (%s)', (file, _name, f) => {
    expect(rolloutView(f.rollout, f.ctx).allowedActions).toEqual(asChecks(TABLE[file] as Row));
  });
});

/** A canary from h1 to h2 with `steps`, at `currentStepIndex`, neither paused nor aborted. */
function canaryAt(steps: CanaryStep[], currentStepIndex: number, status: object = {}): Rollout {
  return {
    metadata: { name: 'webapp', namespace: 'demo' },
    spec: {
      template: { spec: { containers: [{ name: 'webapp', image: 'webapp:v1.1' }] } },
      strategy: { canary: { steps } },
    },
    status: { phase: 'Progressing', stableRS: 'h1', currentPodHash: 'h2', currentStepIndex, ...status },
  };
}

describe('Promote at the end of the steps', () => {
  const kinds: CanaryStep[] = [
    { setWeight: 20 },
    { pause: { duration: '30s' } },
    { analysis: { templates: [{ templateName: 'judge' }] } },
    { setWeight: 100 },
  ];

  it('is enabled on the last step and never after it (all steps done, the canary finishing)', () => {
    for (let n = 1; n <= 8; n++) {
      const steps = Array.from({ length: n }, (_, i) => kinds[i % kinds.length] as CanaryStep);
      expect(allowedActions(canaryAt(steps, n - 1), { otherRevisions: 1 }).promote, `last of ${n}`).toEqual({
        ok: true,
        reason: null,
      });
      // currentStepIndex = n is Argo's "all steps done"; a larger one (a steps edit) is clamped to n.
      for (const idx of [n, n + 1, n + 5])
        expect(allowedActions(canaryAt(steps, idx), { otherRevisions: 1 }).promote, `${idx} of ${n}`).toEqual(
          {
            ok: false,
            reason: NOTHING_WAITING,
          },
        );
    }
  });

  it('after the last step only a pause makes Promote mean something (it clears the pause)', () => {
    const steps = kinds;
    const paused = canaryAt(steps, steps.length, { pauseConditions: [{ reason: 'CanaryPauseStep' }] });
    expect(allowedActions(paused, { otherRevisions: 1 }).promote.ok).toBe(true);
  });

  it('Promote-full is refused on an aborted rollout (as the Argo dashboard disables it on Degraded)', () => {
    for (const idx of [0, 2, kinds.length]) {
      const aborted = canaryAt(kinds, idx, { abort: true, phase: 'Degraded' });
      const a = allowedActions(aborted, { otherRevisions: 1 });
      expect(a['promote-full']).toEqual({ ok: false, reason: ABORTED });
      expect(a.promote).toEqual({ ok: false, reason: ABORTED });
      expect(a.retry.ok).toBe(true);
      expect(a.undo.ok).toBe(true);
    }
  });
});
