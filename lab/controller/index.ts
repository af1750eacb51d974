import type { LabStore } from '../store/lab-store';
import { startAnalysisController } from './analysis-controller';
import { startRolloutController } from './rollout-controller';

export { assessMetricStatus, assessRunStatus, isTerminating } from './analysis/assess';
export { evaluateResult } from './analysis/evaluate';
export { ExprError, evaluateExpr } from './analysis/expr';
export { applyMeasurements, planMeasurements, recordMeasurement } from './analysis/run-executor';
export { calculatePhase } from './conditions';
export { decide } from './decide';
export type { Action, Decision, Observed } from './decide-types';
export { podTemplateHash } from './hash';
export { withWeights } from './traffic';
export { startAnalysisController, startRolloutController };

export interface StartControllerOptions {
  store: LabStore;
  /** The clock (ms since epoch); tests may move it. */
  now?: () => number;
  /** Periodic full resync of Rollouts (ms, default 30 s). */
  resyncMs?: number;
  /** Debounce of Rollout reconciles (ms, default 20). */
  debounceMs?: number;
  /** Prometheus address for metrics that name none. */
  prometheusAddress?: string;
  fetch?: typeof fetch;
  log?: (msg: string) => void;
}

/** Starts the lab's Argo Rollouts controller: the Rollout reconciler and the AnalysisRun executor. */
export function startController(opts: StartControllerOptions): { stop(): Promise<void> } {
  const rollouts = startRolloutController(opts);
  const analysis = startAnalysisController(opts);
  return {
    async stop() {
      await Promise.all([rollouts.stop(), analysis.stop()]);
    },
  };
}
