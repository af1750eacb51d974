/**
 * When the canary scripts may believe the phase they read: only once the controller has acted on the script's own
 * change. Reading earlier returns the status from before the change (a retry of a Degraded rollout still reads
 * Degraded until the controller has seen it).
 *
 * Argo Rollouts v1.9.1 (manifests/versions.env):
 * - `kubectl argo rollouts set image` is a PUT of the spec: it bumps metadata.generation; the controller writes
 *   status.observedGeneration (a string) when it has reconciled that spec.
 * - `kubectl argo rollouts retry` merge-patches the status subresource with `{"status":{"abort":false}}`: no generation
 *   bump. The controller's next pass (rollout/pause.go CalculateAbortStatus) writes abort=false and drops
 *   status.abortedAt; the Aborted condition goes with it, so the phase leaves Degraded. Until then abortedAt is the
 *   abort's timestamp, and the phase is still Degraded.
 */
import type { RolloutState } from './follow';

/** What the script changed before following the rollout. */
export type OwnChange =
  | { kind: 'image'; generation: number }
  | { kind: 'retry'; abortedAt: string | null }
  | { kind: 'none' };

/** Whether the controller has acted on `change` in the state `s`. */
export function changeTookEffect(change: OwnChange, s: RolloutState): boolean {
  switch (change.kind) {
    case 'image':
      return s.observedGeneration !== null && s.observedGeneration >= change.generation;
    case 'retry':
      // abortedAt gone (or a new abort since, with its own time), or the phase left Degraded
      return (
        (!s.abort && s.abortedAt === null) ||
        (s.abortedAt !== null && s.abortedAt !== change.abortedAt) ||
        s.phase !== 'Degraded'
      );
    case 'none':
      return true;
  }
}

/**
 * `isFinal` as the follow loop's `isDone`, but only from the first state in which the change took effect on (it
 * stays true for later states: a retried canary may be aborted again, with a new abortedAt).
 */
export function doneAfter(
  change: OwnChange,
  isFinal: (s: RolloutState) => boolean,
): (s: RolloutState) => boolean {
  let seen = false;
  return (s) => {
    seen ||= changeTookEffect(change, s);
    return seen && isFinal(s);
  };
}
