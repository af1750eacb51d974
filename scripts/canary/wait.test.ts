import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, type ScriptLab, startScriptLab, until } from '../testing/script-lab';
import { type RolloutState, stateOf } from './follow';
import { changeTookEffect, doneAfter, type OwnChange } from './wait';

/** What main.ts counts as final (Healthy at the target, or Degraded), before the wait for its own change. */
const finalAt = (target: string) => (s: RolloutState) =>
  s.image === target &&
  s.observed &&
  ((s.phase === 'Healthy' && s.currentHash !== null && s.currentHash === s.stableHash) ||
    s.phase === 'Degraded');

describe('the canary scripts read the phase only after the controller acted on their change (real lab)', () => {
  let s: ScriptLab;
  const state = async () => stateOf(await s.kube.rollout('demo', 'webapp'));

  beforeAll(async () => {
    s = await startScriptLab();
    const created = await s.lab.kubectl(['create', '-f', `${REPO}/manifests/app/`]);
    expect(created.stderr).toBe('');
    await until('demo/webapp Healthy', async () => (await state()).phase === 'Healthy', 60_000);
  }, 90_000);
  afterAll(async () => {
    await s?.close();
  });

  it('a retry of an aborted canary: Degraded does not count until abortedAt is gone (canary-failure, then -success)', async () => {
    await s.kube.setImage('demo', 'webapp', 'webapp', 'webapp:v1.1');
    // The new revision's step, not the last one's: until the controller has seen the new template, the status still
    // reads the finished rollout (step 7 of 7), and an abort sent then is cleared by the reset for the new revision, as
    // Argo's resetRolloutStatus does.
    await until(
      'the canary at its analysis step',
      async () => {
        const st = await state();
        return (
          st.observed && st.currentHash !== null && st.currentHash !== st.stableHash && (st.step ?? 0) >= 1
        );
      },
      60_000,
    );
    await s.kube.patchRolloutStatus('demo', 'webapp', { status: { abort: true } }); // kubectl argo rollouts abort
    const before = await until('Degraded', async () => {
      const st = await state();
      return st.phase === 'Degraded' && st.abortedAt !== null && st.observed ? st : undefined;
    });

    await s.holdController(); // the controller has not seen the retry yet
    await s.kube.patchRolloutStatus('demo', 'webapp', { status: { abort: false } }); // kubectl argo rollouts retry
    const change: OwnChange = { kind: 'retry', abortedAt: before.abortedAt };
    const isDone = doneAfter(change, finalAt('webapp:v1.1'));
    const stale = await state();
    // the status from before the retry: the old check called it final ("final phase Degraded, 0.0 s")
    expect(stale.abort).toBe(false);
    expect(stale.phase).toBe('Degraded');
    expect(finalAt('webapp:v1.1')(stale)).toBe(true);
    expect(changeTookEffect(change, stale)).toBe(false);
    expect(isDone(stale)).toBe(false);

    s.releaseController();
    const after = await until('the retry took effect', async () => {
      const st = await state();
      return changeTookEffect(change, st) ? st : undefined;
    });
    expect(after.abortedAt).toBeNull();
    expect(after.phase).not.toBe('Degraded');
    expect(isDone(after)).toBe(false); // the canary runs again
  });

  it('set image: the phase counts once observedGeneration reaches the generation the PUT returned', async () => {
    await s.holdController();
    const generation = await s.kube.setImage('demo', 'webapp', 'webapp', 'webapp:v1.3');
    const stale = await state();
    expect(stale.generation).toBe(generation);
    expect(stale.observedGeneration).toBe(generation - 1);
    const change: OwnChange = { kind: 'image', generation };
    expect(changeTookEffect(change, stale)).toBe(false);
    s.releaseController();
    const seen = await until('observedGeneration', async () => {
      const st = await state();
      return changeTookEffect(change, st) ? st : undefined;
    });
    expect(seen.observedGeneration).toBeGreaterThanOrEqual(generation);
    expect(seen.observed).toBe(true);
  });
});
