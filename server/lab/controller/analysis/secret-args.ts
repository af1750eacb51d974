import type { LabStore } from '../../store/lab-store';
import { resource } from '../../store/resources';
import type { AnalysisArg, AnalysisRun } from '../types';

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
    const value = b64 !== undefined ? Buffer.from(b64, 'base64').toString('utf8') : secret?.stringData?.[ref.key];
    return value === undefined ? { name: a.name } : { name: a.name, value };
  });
  return { ...run, spec: { ...run.spec, args: resolved } };
}
