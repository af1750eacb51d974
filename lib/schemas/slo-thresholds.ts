import { z } from 'zod';
import { dnsLabel, dnsSubdomain } from './names';

/**
 * The SLO thresholds a rollout is judged against, where each may come from, and their bounds. One table serves the
 * judge's query (the AnalysisTemplate's args), CONTROL_CENTER_CONFIG `slo:` and the SLO panel.
 */
export const THRESHOLD_FIELDS = ['successRateMin', 'errorRateMax', 'p95MaxMs', 'minStepSeconds'] as const;
export type ThresholdField = (typeof THRESHOLD_FIELDS)[number];

export interface ThresholdSpec {
  min: number;
  max: number;
  /** The AnalysisTemplate arg that feeds this query parameter (manifests/app/41-analysistemplate-judge.yaml). */
  arg: string;
  /** What the number means, for messages. */
  unit: string;
}

export const THRESHOLD_SPECS: Record<ThresholdField, ThresholdSpec> = {
  successRateMin: { min: 0.5, max: 0.999999, arg: 'success-rate', unit: 'a ratio: 0.99 for 99 %' },
  errorRateMax: { min: 0.000001, max: 0.5, arg: 'error-rate', unit: 'a ratio: 0.01 for 1 %' },
  p95MaxMs: { min: 1, max: 600_000, arg: 'p95-ms', unit: 'milliseconds' },
  minStepSeconds: { min: 0, max: 3600, arg: 'min-step-seconds', unit: 'seconds' },
};

export type SloThresholds = Record<ThresholdField, number>;

/**
 * Where a threshold came from, strongest first: the AnalysisTemplate's args (the judge's query), CONTROL_CENTER_CONFIG
 * `slo.rollouts["ns/name"]`, `slo.namespaces[ns]`, the file-wide `slo:` values, the built-in defaults.
 */
export const THRESHOLD_SOURCES = [
  'analysis',
  'config-rollout',
  'config-namespace',
  'config',
  'default',
] as const;
export type ThresholdSource = (typeof THRESHOLD_SOURCES)[number];

/** The thresholds a judgement applied, each with its source (the `thresholds` of the judge's answer). */
export interface AppliedThresholds extends SloThresholds {
  sources: Record<ThresholdField, ThresholdSource>;
}

const rangeText = (s: ThresholdSpec) => `must be between ${s.min} and ${s.max} (${s.unit})`;

/** A threshold in the YAML config: a number within its bounds. */
function configNumber(field: ThresholdField) {
  const spec = THRESHOLD_SPECS[field];
  return z
    .number({ error: `must be a number (${spec.unit})` })
    .refine((v) => v >= spec.min && v <= spec.max, { error: (i) => `${rangeText(spec)}, got ${i.input}` })
    .optional();
}

/** One set of thresholds in CONTROL_CENTER_CONFIG; every field optional (unset: the next source down). */
export const sloThresholdsSchema = z
  .object({
    successRateMin: configNumber('successRateMin'),
    errorRateMax: configNumber('errorRateMax'),
    p95MaxMs: configNumber('p95MaxMs'),
    minStepSeconds: configNumber('minStepSeconds'),
  })
  .strict();
export type SloThresholdsConfig = z.infer<typeof sloThresholdsSchema>;

/** A map of thresholds whose keys must pass `validKey` (each bad key is named with `message`). */
function thresholdsBy(validKey: (key: string) => boolean, message: (key: string) => string) {
  return z
    .record(z.string(), sloThresholdsSchema)
    .superRefine((rec, ctx) => {
      for (const key of Object.keys(rec))
        if (!validKey(key)) ctx.addIssue({ code: 'custom', path: [key], message: message(key) });
    })
    .default({});
}

const isNamespace = (ns: string | undefined) => dnsLabel.safeParse(ns).success;
const isRolloutKey = (key: string) => {
  const [ns, name, ...rest] = key.split('/');
  return rest.length === 0 && isNamespace(ns) && dnsSubdomain.safeParse(name).success;
};

/**
 * CONTROL_CENTER_CONFIG `slo:`. The flat fields apply to every rollout; `namespaces` and `rollouts` override them:
 *
 *   slo:
 *     p95MaxMs: 500
 *     namespaces:
 *       shop: { errorRateMax: 0.005 }
 *     rollouts:
 *       demo/webapp: { p95MaxMs: 250, minStepSeconds: 60 }
 *
 * The AnalysisTemplate's args override all of them; unset everywhere, the built-in defaults apply.
 */
export const sloConfigSchema = sloThresholdsSchema
  .extend({
    namespaces: thresholdsBy(isNamespace, (k) => `"${k}" must be a namespace (a DNS-1123 label)`),
    rollouts: thresholdsBy(isRolloutKey, (k) => `"${k}" must be "namespace/rollout" (e.g. demo/webapp)`),
  })
  .strict();
export type SloConfig = z.infer<typeof sloConfigSchema>;

const UNSUBSTITUTED = /\{\{.*\}\}/;

/**
 * A threshold as a query parameter of the judge: a number within bounds; an empty value (an AnalysisTemplate arg
 * left at its default `""`) is null, meaning "not set by the analysis: use CONTROL_CENTER_CONFIG, else the default".
 * Errors name the AnalysisTemplate arg as well, since that is where the value usually comes from.
 */
export function thresholdParam(field: ThresholdField) {
  const spec = THRESHOLD_SPECS[field];
  const from = `AnalysisTemplate arg ${spec.arg}`;
  return z
    .union([z.string(), z.number()])
    .optional()
    .transform((raw, ctx): number | null | undefined => {
      if (raw === undefined) return undefined;
      const text = String(raw).trim();
      if (text === '') return null;
      if (UNSUBSTITUTED.test(text)) {
        ctx.addIssue({
          code: 'custom',
          message: `the ${from} was not substituted (got "${text}"): declare it in the template's args (value "" leaves it to CONTROL_CENTER_CONFIG)`,
        });
        return z.NEVER;
      }
      const n = Number(text);
      if (!Number.isFinite(n)) {
        ctx.addIssue({ code: 'custom', message: `must be a number (${spec.unit}), got "${text}" (${from})` });
        return z.NEVER;
      }
      if (n < spec.min || n > spec.max) {
        ctx.addIssue({ code: 'custom', message: `${rangeText(spec)}, got ${text} (${from})` });
        return z.NEVER;
      }
      return n;
    });
}

/** The threshold parameters of the judge's query (spread into its schema). */
export const thresholdParamsShape = {
  successRateMin: thresholdParam('successRateMin'),
  errorRateMax: thresholdParam('errorRateMax'),
  p95MaxMs: thresholdParam('p95MaxMs'),
  minStepSeconds: thresholdParam('minStepSeconds'),
};

export const thresholdParamsSchema = z.object(thresholdParamsShape);
export type ThresholdParams = z.infer<typeof thresholdParamsSchema>;
