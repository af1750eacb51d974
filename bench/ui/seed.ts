import type { LabProcess } from '@control-center/lab/testing';

export const SEED_NAMESPACES = 50;

const nsName = (i: number) => `bench-${String(i).padStart(2, '0')}`;

/**
 * A quiet Rollout: 0 replicas (the lab runs no pod for it), two steps, no traffic routing. The lab controller makes
 * one empty ReplicaSet for it, writes Healthy and then leaves it alone.
 */
function quietRollout(ns: string, name: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace: ns, labels: { app: name, bench: 'ui' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: name } },
      strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'webapp:v1.0' }] },
      },
    },
  };
}

/** Creates `total` Rollouts spread evenly over SEED_NAMESPACES namespaces, `concurrency` requests at a time. */
export async function seedRollouts(lab: LabProcess, total: number, concurrency = 8): Promise<void> {
  for (let i = 0; i < SEED_NAMESPACES; i++) {
    const r = await lab.api('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsName(i) } },
    });
    if (r.status !== 201) throw new Error(`namespace ${nsName(i)}: ${r.status} ${r.text}`);
  }
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const ns = nsName(i % SEED_NAMESPACES);
      const name = `svc-${String(i).padStart(4, '0')}`;
      const r = await lab.api('POST', `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts`, {
        body: quietRollout(ns, name),
      });
      if (r.status !== 201) throw new Error(`create ${ns}/${name}: ${r.status} ${r.text}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
