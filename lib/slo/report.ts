import type { AppliedThresholds } from '@/lib/schemas/slo-thresholds';
import type { AttemptPhases, Verdict } from './types';

/** Where the judge read its metrics: Prometheus, or the lab gateway's window endpoint. */
export type MetricsSourceKind = 'prometheus' | 'window-endpoint';

/** The SLO report of one canary, as the API returns it and the browser shows it. */
export interface SloReport extends Verdict {
  namespace: string;
  rollout: string | null;
  canary: { service: string; podHash: string | null };
  stable: { service: string; podHash: string | null };
  /** The evidence's time range and grid step (since = the first attempt of this hash at this revision). */
  window: { since: number; until: number; stepSeconds: number };
  /** Attempts and step starts the evidence was attributed to (null for a bare pair of services). */
  attempt: AttemptPhases | null;
  /** The canary's weight (percent) and step index when judged; null for a bare pair of services. */
  weight: number | null;
  stepIndex: number | null;
  metrics: MetricsSourceKind | 'none';
  /** HTTP queries to the metrics source for this answer. */
  metricsQueries: number;
}

/** The judge's answer: the SLO report plus the thresholds it applied and where each came from. */
export interface JudgeReport extends SloReport {
  thresholds: AppliedThresholds;
}
