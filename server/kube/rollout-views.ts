import 'server-only';
import type { AnalysisRun, Pod, ReplicaSet, Rollout, VirtualService } from '@/lib/rollout/kube-types';
import { rolloutContext } from '@/lib/rollout/rollout-context';
import {
  type RolloutContext,
  type RolloutSummary,
  type RolloutView,
  rolloutSummary,
  rolloutView,
} from '@/lib/rollout/rollout-view';
import type { InformerRegistry } from './registry';

export interface RolloutRaw {
  rollout: Rollout;
  replicaSets: ReplicaSet[];
  analysisRuns: AnalysisRun[];
  pods: Pod[];
  virtualService: VirtualService | null;
}

/** The objects a rollout's view is built from, out of the informer cache (one namespace). */
export function contextFor(reg: InformerRegistry, ro: Rollout, now: number): RolloutContext {
  return rolloutContext(ro, (kind, ns) => reg.list(kind, ns), now);
}

const byName = (a: Rollout, b: Rollout) =>
  `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(
    `${b.metadata?.namespace}/${b.metadata?.name}`,
  );

export function listSummaries(reg: InformerRegistry, namespace?: string, now = Date.now()): RolloutSummary[] {
  return (reg.list('rollout', namespace) as Rollout[])
    .sort(byName)
    .map((ro) => rolloutSummary(ro, contextFor(reg, ro, now)));
}

export function getRolloutView(
  reg: InformerRegistry,
  namespace: string,
  name: string,
  now = Date.now(),
): { view: RolloutView; raw: RolloutRaw } | undefined {
  const ro = reg.get('rollout', namespace, name) as Rollout | undefined;
  if (!ro) return undefined;
  const ctx = contextFor(reg, ro, now);
  const view = rolloutView(ro, ctx);
  const hashes = new Set(view.revisions.map((r) => r.podHash));
  const raw: RolloutRaw = {
    rollout: ro,
    replicaSets: ctx.replicaSets.filter((rs) =>
      view.revisions.some(
        (r) => r.podHash && rs.metadata?.labels?.['rollouts-pod-template-hash'] === r.podHash,
      ),
    ),
    analysisRuns: ctx.analysisRuns.filter((r) => view.analysisRuns.some((v) => v.name === r.metadata?.name)),
    pods: ctx.pods.filter((p) => hashes.has(p.metadata?.labels?.['rollouts-pod-template-hash'] ?? '-')),
    virtualService: ctx.virtualService ?? null,
  };
  return { view, raw };
}
