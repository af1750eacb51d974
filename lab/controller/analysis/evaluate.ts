import type { Metric } from '../types';
import { evaluateExpr } from './expr';

export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

function evalCondition(result: unknown, cond: string): boolean {
  const v = evaluateExpr(cond, { result });
  if (typeof v !== 'boolean') throw new Error(`expected bool, but got ${typeof v}`);
  return v;
}

/**
 * Argo's `evaluate.EvaluateResult`: no conditions → Successful; only a success condition → Failed when it is false;
 * only a failure condition → Successful when it is false; both → Failed if the failure condition holds, Inconclusive
 * if neither holds. An evaluation error (e.g. `result[0]` of an empty vector) makes the measurement an Error.
 */
export function evaluateResult(
  result: unknown,
  metric: Metric,
): { phase: MeasurementPhase; message?: string } {
  let success = false;
  let failure = false;
  try {
    if (metric.successCondition) success = evalCondition(result, metric.successCondition);
    if (metric.failureCondition) failure = evalCondition(result, metric.failureCondition);
  } catch (e) {
    return { phase: 'Error', message: (e as Error).message };
  }
  if (!metric.successCondition && !metric.failureCondition) return { phase: 'Successful' };
  if (metric.successCondition && !metric.failureCondition) failure = !success;
  if (!metric.successCondition && metric.failureCondition) success = !failure;
  if (failure) return { phase: 'Failed' };
  if (!success) return { phase: 'Inconclusive' };
  return { phase: 'Successful' };
}
