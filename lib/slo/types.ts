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

/**
 * Where the evidence of one canary attempt lies in time. Rollback evidence pools everything this pod-template hash
 * served at this revision (all its attempts: retries carry it); promote evidence restarts at every step of the
 * current attempt. Read from the Rollout and its AnalysisRuns by server/slo/rollout-target.ts.
 */
export interface AttemptPhases {
  /** 1-based attempt number of this hash at this revision (a retry after an abort or a failed analysis counts up). */
  number: number;
  /** Unix seconds: when this attempt's canary weight first became > 0. */
  start: number;
  /**
   * Unix seconds, ascending, of every step start of every attempt of this hash+revision (each time the canary's
   * weight changed to a new step's weight), the current attempt's included; the last one is the current step.
   * Each gets its own rollback e-process from that moment on, and the promote tests use only the windows after the last.
   */
  stepStarts: readonly { attempt: number; start: number }[];
  /** Analysis steps per attempt in the strategy (splits the per-step rollback weight); default 3. */
  stepsPerAttempt?: number;
}

export interface JudgeInput {
  /** Evaluation time, unix seconds (lib/ is pure: the caller passes the clock). */
  now: number;
  /**
   * Scrapes of the canary, oldest first, cumulative from the start of the rollback evidence (the first attempt of
   * this hash+revision). Counters must already be per-series reset-corrected sums (never raw sums across series).
   */
  canary: readonly VersionSample[];
  /** Scrapes of the stable version at the same timestamps, oldest first. */
  stable: readonly VersionSample[];
  /** Attempt and step boundaries; absent: one attempt, one step starting at the first sample. */
  attempt?: AttemptPhases;
  /** Unix seconds of the newest raw sample behind the data (staleness); default the newest scrape's observedAt. */
  newestSampleAt?: number;
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
  /** PROMOTE also needs at least this many canary requests at the current step's weight. */
  minCanaryRequests: number;
  /** PROMOTE also needs at least this much time (seconds) at the current step's weight. */
  minStepSeconds: number;
  /** Share of the rollback e-value's weight on the pooled e-process (rest: per-step e-processes). */
  pooledRollbackWeight: number;
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
  /** Latency only: whether the threshold is a bucket boundary, and the bucket bracket (ms) judged when it is not. */
  exactBoundary?: boolean;
  bracketMs?: [number, number];
}

/** How long until the judge expects to decide, if the observed rates hold. */
export interface DecisionEta {
  side: 'promote' | 'rollback';
  /** More canary requests needed; null when not decidable within 10 M requests. */
  requests: number | null;
  /** Seconds at the current canary request rate; null when the rate is unknown. */
  seconds: number | null;
  /** "about 3 min more at this traffic". */
  text: string;
}

/** The evidence at the current step (promote needs fresh evidence at each step's weight). */
export interface StepEvidence {
  attempt: number;
  /** Unix seconds when the current step's weight took effect. */
  start: number;
  seconds: number;
  requests: number;
  minSeconds: number;
  minRequests: number;
}

export interface Verdict {
  verdict: VerdictKind;
  slos: SloResult[];
  /** Evidence at the current step; null without data. */
  step: StepEvidence | null;
  /** Expected time to a decision when the verdict is PAUSE and no data problem blocks it. */
  eta: DecisionEta | null;
  /** Data-quality problems: they block PROMOTE, never a ROLLBACK whose evidence has crossed. */
  dataIssues: string[];
  explanation: string;
}
