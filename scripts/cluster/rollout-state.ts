/**
 * What a re-run of setup finds in Rollout demo/webapp (`kubectl get rollout -o json` on stdin): `healthy`, `canary`
 * (paused, aborted or stepping: setup leaves it alone) or `other` (e.g. Degraded without a canary), then a description.
 * Field names as Argo Rollouts writes them (pkg/apis/rollouts/v1alpha1 RolloutStatus).
 */
import { z } from 'zod';

const rolloutSchema = z.object({
  spec: z
    .object({
      paused: z.boolean().optional(),
      strategy: z
        .object({ canary: z.object({ steps: z.array(z.unknown()).optional() }).optional() })
        .optional(),
    })
    .optional(),
  status: z
    .object({
      phase: z.string().optional(),
      message: z.string().optional(),
      abort: z.boolean().optional(),
      currentStepIndex: z.number().int().optional(),
      currentPodHash: z.string().optional(),
      stableRS: z.string().optional(),
      pauseConditions: z.array(z.object({ reason: z.string() })).nullish(),
      canary: z
        .object({ weights: z.object({ canary: z.object({ weight: z.number() }) }).optional() })
        .optional(),
    })
    .optional(),
});

export type RolloutState = { state: 'healthy' | 'canary' | 'other'; description: string };

export function rolloutState(raw: unknown): RolloutState {
  const ro = rolloutSchema.parse(raw);
  const s = ro.status ?? {};
  const phase = s.phase ?? 'unknown';
  const steps = ro.spec?.strategy?.canary?.steps?.length;
  const step = s.currentStepIndex !== undefined && steps ? ` at step ${s.currentStepIndex}/${steps}` : '';
  const weight = s.canary?.weights?.canary.weight;
  const detail = `${step}${weight !== undefined ? `, canary weight ${weight}` : ''}${s.message ? ` (${s.message})` : ''}`;
  if (s.abort) return { state: 'canary', description: `canary aborted, phase ${phase}${detail}` };
  const pauses = s.pauseConditions ?? [];
  if (pauses.length > 0 || ro.spec?.paused) {
    const why = pauses.map((p) => p.reason).join(', ') || 'spec.paused';
    return { state: 'canary', description: `canary paused (${why})${detail}` };
  }
  if (s.currentPodHash && s.stableRS && s.currentPodHash !== s.stableRS) {
    return { state: 'canary', description: `canary in progress, phase ${phase}${detail}` };
  }
  if (phase === 'Healthy') return { state: 'healthy', description: 'Healthy' };
  return { state: 'other', description: `phase ${phase}${detail}` };
}

if (process.argv[1]?.endsWith('rollout-state.ts')) {
  let input = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (d) => {
    input += d;
  });
  process.stdin.on('end', () => {
    try {
      const r = rolloutState(JSON.parse(input));
      process.stdout.write(`${r.state} ${r.description}\n`);
    } catch (err) {
      console.error(`rollout-state: ${(err as Error).message}`);
      process.exit(1);
    }
  });
}
