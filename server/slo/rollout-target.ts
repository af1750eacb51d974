import 'server-only';
import { type RolloutObject, rolloutSchema } from '@/lib/rollout/rollout-schema';
import { kube } from '../kube/client';

/** What the judge needs to know about a rollout: its services, the canary's hash and when the canary started. */
export interface CanaryTarget {
  namespace: string;
  rollout: string | null;
  canaryService: string;
  stableService: string;
  canaryHash: string | null;
  stableHash: string | null;
  /** Unix seconds: the canary ReplicaSet's creation (evidence accumulates over the whole canary). */
  since: number;
}

export class TargetError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function readRollout(namespace: string, name: string, context?: string): Promise<RolloutObject> {
  const raw: unknown = await kube(context).custom.getNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace,
    plural: 'rollouts',
    name,
  });
  const parsed = rolloutSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TargetError(
      502,
      'bad_rollout',
      `rollout ${namespace}/${name} has an unexpected shape at ${issue?.path.join('.')}`,
    );
  }
  return parsed.data;
}

/** Resolves the canary of a rollout: 409 when none is in progress (nothing to judge). */
export async function canaryTargetOf(ro: RolloutObject, context?: string): Promise<CanaryTarget> {
  const { namespace, name } = ro.metadata;
  const canary = ro.spec.strategy?.canary;
  if (!canary?.canaryService || !canary.stableService) {
    throw new TargetError(
      409,
      'no_services',
      `rollout ${namespace}/${name} has no canaryService/stableService to judge`,
    );
  }
  const hash = ro.status?.currentPodHash ?? null;
  const stable = ro.status?.stableRS ?? null;
  if (!hash || hash === stable) {
    throw new TargetError(409, 'no_canary', `rollout ${namespace}/${name} has no canary in progress`);
  }
  const list = await kube(context).apps.listNamespacedReplicaSet({
    namespace,
    labelSelector: `rollouts-pod-template-hash=${hash}`,
  });
  const rs = list.items.find((r) =>
    r.metadata?.ownerReferences?.some((o) => o.kind === 'Rollout' && o.name === name),
  );
  const created = rs?.metadata?.creationTimestamp;
  if (!created)
    throw new TargetError(409, 'no_canary', `the canary ReplicaSet of ${namespace}/${name} is not there yet`);
  const runs = await kube(context).custom.listNamespacedCustomObject({
    group: 'argoproj.io',
    version: 'v1alpha1',
    namespace,
    plural: 'analysisruns',
    labelSelector: `rollouts-pod-template-hash=${hash}`,
  });
  const attemptStart = currentAttemptStart(runsOf(runs, name));
  return {
    namespace,
    rollout: name,
    canaryService: canary.canaryService,
    stableService: canary.stableService,
    canaryHash: hash,
    stableHash: stable,
    since: Math.floor(Math.max(new Date(created).getTime(), attemptStart ?? 0) / 1000),
  };
}

export interface RunInfo {
  created: number;
  failed: boolean;
}

function runsOf(list: unknown, rollout: string): RunInfo[] {
  const items = (list as { items?: unknown[] }).items ?? [];
  return items
    .map(
      (i) =>
        i as {
          metadata?: {
            creationTimestamp?: string;
            ownerReferences?: Array<{ kind?: string; name?: string }>;
          };
          status?: { phase?: string };
          spec?: { terminate?: boolean };
        },
    )
    .filter((r) => r.metadata?.ownerReferences?.some((o) => o.kind === 'Rollout' && o.name === rollout))
    .map((r) => ({
      created: new Date(r.metadata?.creationTimestamp ?? 0).getTime(),
      failed: r.status?.phase === 'Failed' || r.status?.phase === 'Error' || r.spec?.terminate === true,
    }))
    .sort((a, b) => a.created - b.created);
}

/**
 * The canary ReplicaSet is reused when an aborted update is retried (or undone to): evidence must start with the
 * current attempt, i.e. at the first AnalysisRun after the last one that failed or was terminated by an abort.
 */
export function currentAttemptStart(runs: RunInfo[]): number | null {
  let lastFailed = -1;
  runs.forEach((r, i) => {
    if (r.failed) lastFailed = i;
  });
  if (lastFailed === -1) return null;
  return (runs[lastFailed + 1] ?? runs[lastFailed])?.created ?? null;
}
