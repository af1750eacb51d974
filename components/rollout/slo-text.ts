/** Words of the SLO panel (pure, so tests pin them down): threshold sources, step evidence, the latency bracket. */
import { clockDuration, sloValue } from '@/lib/client/format';
import type { AppliedThresholds, ThresholdField, ThresholdSource } from '@/lib/schemas/slo-thresholds';
import type { SloResult, StepEvidence } from '@/lib/slo/types';

const SOURCE_TEXT: Record<ThresholdSource, string> = {
  analysis: 'from the AnalysisTemplate',
  'config-rollout': 'from the config (this rollout)',
  'config-namespace': 'from the config (this namespace)',
  config: 'from the config',
  default: 'built-in default',
};

/** "from the AnalysisTemplate", "from the config (this namespace)", "built-in default"… */
export function sourceText(source: ThresholdSource | undefined): string {
  return source ? (SOURCE_TEXT[source] ?? source) : '';
}

const FIELD_OF: Partial<Record<SloResult['name'], ThresholdField>> = {
  'success-rate': 'successRateMin',
  'error-rate': 'errorRateMax',
  'latency-p95': 'p95MaxMs',
};

/** Where an SLO row's threshold came from; '' for SLOs without a configurable threshold (canary vs stable). */
export function thresholdSource(name: SloResult['name'], thresholds: AppliedThresholds | undefined): string {
  const field = FIELD_OF[name];
  return field && thresholds ? sourceText(thresholds.sources[field]) : '';
}

const seconds = (s: number) => (s < 60 ? `${Math.max(0, Math.round(s))} s` : clockDuration(s));
const count = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * "at 30 %: 42 s, 1,210 requests; promote needs ≥ 30 s and ≥ 100 requests" (without a weight: "at this step").
 * The minimum time names its source when it was not the default.
 */
export function stepText(step: StepEvidence, weight?: number | null, minSource?: ThresholdSource): string {
  const where = weight === undefined || weight === null ? 'at this step' : `at ${weight} %`;
  const from = minSource && minSource !== 'default' ? ` (${sourceText(minSource)})` : '';
  return `${where}: ${seconds(step.seconds)}, ${count(step.requests)} requests; promote needs ≥ ${seconds(step.minSeconds)}${from} and ≥ ${count(step.minRequests)} requests`;
}

/** Whether the step already has the time and requests PROMOTE needs there. */
export const stepReady = (step: StepEvidence) =>
  step.seconds >= step.minSeconds && step.requests >= step.minRequests;

/** The judge's latency result, with the bucket fields it adds when the threshold is not a boundary. */
export type LatencyResult = Omit<SloResult, 'bracketMs' | 'exactBoundary'> & {
  /** Over JSON an upper bound of +Inf arrives as null. */
  bracketMs?: [number, number | null] | null;
  exactBoundary?: boolean;
};

const NOT_A_BOUNDARY = /cannot be decided exactly|is not a bucket boundary|no \d+(\.\d+)? ms bucket/;

/**
 * The bucket bracket [lower, upper] ms (upper null = +Inf) around a latency threshold that is not a bucket boundary,
 * else null. From the judge's `bracketMs`, else read from its words ("in the bucket bracket 250–500 ms", "nearest
 * 250 and 500 ms"), else the displayed interval (its ends are bucket edges).
 */
export function latencyBracket(s: LatencyResult): [number, number | null] | null {
  if (s.name !== 'latency-p95') return null;
  if (s.exactBoundary === true) return null;
  if (s.bracketMs) return s.bracketMs;
  if (s.exactBoundary !== false && !NOT_A_BOUNDARY.test(s.explanation)) return null;
  const m =
    /bucket bracket (\d+(?:\.\d+)?)–(\d+(?:\.\d+)?|\+Inf) ms/.exec(s.explanation) ??
    /nearest (\d+(?:\.\d+)?) and (\d+(?:\.\d+)?|\+Inf)/.exec(s.explanation);
  if (m?.[1] && m[2]) return [Number(m[1]), m[2] === '+Inf' ? null : Number(m[2])];
  if (s.interval) return [s.interval[0], Number.isFinite(s.interval[1]) ? s.interval[1] : null];
  return [Number.NaN, null];
}

/** "250–500 ms" / "500 ms – +Inf" / "between buckets" for a bracket. */
export function bracketText(b: [number, number | null]): string {
  const [lo, hi] = b;
  if (!Number.isFinite(lo)) return 'between buckets';
  return hi === null ? `> ${sloValue(lo, 'ms')}` : `${Math.round(lo)}–${sloValue(hi, 'ms')}`;
}
