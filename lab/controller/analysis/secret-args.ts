import type { LabStore } from '../../store/lab-store';
import { resource } from '../../store/resources';
import type { AnalysisArg, AnalysisRun } from '../types';
import { resolveMetricArgs } from './args';

const SECRETS = resource('secrets');

/**
 * Resolves `valueFrom.secretKeyRef` args from Secrets in the run's namespace at measurement time, as Argo's analysis
 * controller does (the secret value never lands in the AnalysisRun). A missing secret or key leaves the arg
 * unresolved, so the measurement errors with a message naming it.
 */
export function withSecretArgs(store: LabStore, run: AnalysisRun): AnalysisRun {
  const args = run.spec.args;
  if (!args?.some((a) => a.valueFrom?.secretKeyRef)) return run;
  const resolved: AnalysisArg[] = args.map((a) => {
    const ref = a.valueFrom?.secretKeyRef;
    if (!ref || a.value !== undefined) return a;
    const secret = store.get(SECRETS, run.metadata.namespace, ref.name) as
      | { data?: Record<string, string>; stringData?: Record<string, string> }
      | undefined;
    const b64 = secret?.data?.[ref.key];
    const value =
      b64 !== undefined ? Buffer.from(b64, 'base64').toString('utf8') : secret?.stringData?.[ref.key];
    return value === undefined ? { name: a.name } : { name: a.name, value };
  });
  return { ...run, spec: { ...run.spec, args: resolved } };
}

/**
 * The run as the executor sees it: secret args filled in and `{{args.x}}` substituted into every metric field
 * (count, interval, initialDelay, provider), as Argo resolves them on each reconcile. Held in memory only; a metric
 * whose args cannot be resolved is left as written, so its measurement errors with a message naming the arg.
 */
export function resolvedRun(store: LabStore, run: AnalysisRun): AnalysisRun {
  const withSecrets = withSecretArgs(store, run);
  const metrics = (withSecrets.spec.metrics ?? []).map((m) => {
    try {
      return resolveMetricArgs(m, withSecrets.spec.args);
    } catch {
      return m;
    }
  });
  return { ...withSecrets, spec: { ...withSecrets.spec, metrics } };
}
