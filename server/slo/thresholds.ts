import 'server-only';
import {
  type AppliedThresholds,
  type SloConfig,
  type SloThresholds,
  type SloThresholdsConfig,
  THRESHOLD_FIELDS,
  type ThresholdField,
  type ThresholdParams,
  type ThresholdSource,
} from '@/lib/schemas/slo-thresholds';
import { DEFAULT_JUDGE_CONFIG } from '@/lib/slo';

/** The built-in thresholds (lib/slo/config.ts); minStepSeconds is 30 s when the judge's defaults do not name it. */
export function builtInThresholds(): SloThresholds {
  const d = DEFAULT_JUDGE_CONFIG as Partial<SloThresholds>;
  return {
    successRateMin: d.successRateMin ?? 0.99,
    errorRateMax: d.errorRateMax ?? 0.01,
    p95MaxMs: d.p95MaxMs ?? 300,
    minStepSeconds: d.minStepSeconds ?? 30,
  };
}

export interface ThresholdInputs {
  /** The analysis's values (the judge's query, or the AnalysisRun's judge URL); null/undefined = not set there. */
  analysis: Partial<Record<ThresholdField, number | null | undefined>> | ThresholdParams;
  namespace: string;
  rollout: string | null | undefined;
  config: SloConfig;
}

/**
 * Each threshold from the strongest source that sets it: the AnalysisTemplate's args, then CONTROL_CENTER_CONFIG
 * `slo.rollouts["ns/name"]`, `slo.namespaces[ns]`, the file-wide `slo:` values, then the built-in defaults.
 */
export function resolveThresholds(i: ThresholdInputs): AppliedThresholds {
  const layers: Array<[ThresholdSource, SloThresholdsConfig | undefined]> = [
    ['config-rollout', i.rollout ? i.config.rollouts[`${i.namespace}/${i.rollout}`] : undefined],
    ['config-namespace', i.config.namespaces[i.namespace]],
    ['config', i.config],
  ];
  const builtIn = builtInThresholds();
  const out = { sources: {} } as AppliedThresholds;
  for (const f of THRESHOLD_FIELDS) {
    let value: number = builtIn[f];
    let source: ThresholdSource = 'default';
    const fromAnalysis = i.analysis[f];
    if (typeof fromAnalysis === 'number') {
      value = fromAnalysis;
      source = 'analysis';
    } else {
      for (const [name, layer] of layers) {
        const v = layer?.[f];
        if (v !== undefined) {
          value = v;
          source = name;
          break;
        }
      }
    }
    out[f] = value;
    out.sources[f] = source;
  }
  return out;
}

/** True when the query carries any threshold parameter, even an empty one: it is the AnalysisTemplate's own URL. */
export function queryNamesThresholds(q: Partial<Record<ThresholdField, unknown>>): boolean {
  return THRESHOLD_FIELDS.some((f) => q[f] !== undefined);
}
