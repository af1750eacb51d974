/** Public input/output types of the SLO judge. */
import type { BinomialDesign } from './binomial-eprocess';
import type { Interval } from './intervals';
import type { ThetaComponent } from './relative-test';

/** One cumulative Prometheus-style histogram bucket: `count` requests took ≤ `le` SECONDS. */
export interface LatencyBucket {
  le: number;
  count: number;
}

/**
 * One scrape of one version, cumulative since analysis start (like Prometheus counters). Buckets are
 * cumulative and should include le = +Infinity (the histogram `_count`); without it `requests` is used.
 */
export interface VersionSample {
  /** Unix time in seconds. */
  observedAt: number;
  requests: number;
  /** 5xx responses. */
  errors: number;
  latencyBuckets: readonly LatencyBucket[];
}

export interface JudgeInput {
  /** Evaluation time, unix seconds (lib/ is pure: the caller passes the clock). */
  now: number;
  /** Scrapes of the canary, oldest first. */
  canary: readonly VersionSample[];
  /** Scrapes of the stable version at the same timestamps, oldest first. */
  stable: readonly VersionSample[];
}

export interface JudgeConfig {
  /** Minimum share of non-5xx responses. */
  successRateMin: number;
  /** Maximum share of 5xx responses. */
  errorRateMax: number;
  /** Latency SLO: the `latencyQuantile` quantile must be ≤ this. */
  p95MaxMs: number;
  latencyQuantile: number;
  /** Family-wise false-ROLLBACK rate, split across the rollback tests by `alphaWeights` (Bonferroni). */
  alpha: number;
  /** Probability of PROMOTING a canary sitting exactly on an SLO boundary (intersection-union: no split). */
  alphaPromote: number;
  alphaWeights: { errors: number; latency: number; relative: number };
  /** PROMOTE also needs at least this many canary requests. */
  minCanaryRequests: number;
  /** PAUSE when the newest scrape is older than this (seconds). */
  stalenessSeconds: number;
  /** A window where stable alone is this improbable under its SLO is a shared incident (excluded). */
  incidentPValue: number;
  /** Shape of the error SLO's one-sided tests (relative to p0). */
  binomialDesign: BinomialDesign;
  /** Shape of the latency SLO's one-sided tests (relative to p0 = 1 − latencyQuantile). */
  latencyDesign: BinomialDesign;
  relativeThetas: readonly ThetaComponent[];
  /** Likelihood tempering κ ∈ (0, 1] of the canary-vs-stable test (robustness to bursty errors). */
  relativeTempering: number;
  /** Confidence of the displayed (fixed-n) intervals. */
  displayConfidence: number;
}

export type VerdictKind = 'promote' | 'pause' | 'rollback';
export type SloStatus = 'pass' | 'fail' | 'inconclusive' | 'no-data';

export interface Evidence {
  /** E-value for "SLO violated" (rollback side). */
  rollback: number;
  rollbackThreshold: number;
  /** E-value for "SLO met" (promote side); null for rollback-only tests. */
  promote: number | null;
  promoteThreshold: number | null;
}

export interface SloResult {
  name: 'success-rate' | 'error-rate' | 'latency-p95' | 'canary-vs-stable';
  estimate: number | null;
  interval: Interval | null;
  threshold: number;
  unit: 'ratio' | 'ms' | 'rate-ratio';
  status: SloStatus;
  evidence: Evidence;
  samples: number;
  explanation: string;
}

export interface Verdict {
  verdict: VerdictKind;
  slos: SloResult[];
  /** Data-quality problems that forced PAUSE. */
  dataIssues: string[];
  explanation: string;
}
