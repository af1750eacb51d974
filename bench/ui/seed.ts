import type { LabProcess } from '@control-center/lab/testing';

export const SEED_NAMESPACES = 100;

const nsName = (i: number) => `bench-${String(i).padStart(3, '0')}`;
/** The name of the i-th seeded Rollout (namespace i mod 100). */
export const seededRollout = (i: number) => ({
  namespace: nsName(i % SEED_NAMESPACES),
  name: `svc-${String(i).padStart(5, '0')}`,
});

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

/** Creates the SEED_NAMESPACES namespaces. */
export async function seedNamespaces(lab: LabProcess): Promise<void> {
  for (let i = 0; i < SEED_NAMESPACES; i++) {
    const r = await lab.api('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsName(i) } },
    });
    if (r.status !== 201) throw new Error(`namespace ${nsName(i)}: ${r.status} ${r.text}`);
  }
}

/**
 * Creates Rollouts `from` .. `to - 1` (seededRollout) through the Kubernetes API, `concurrency` requests at a time:
 * spread evenly over the SEED_NAMESPACES namespaces.
 */
export async function seedRollouts(
  lab: LabProcess,
  from: number,
  to: number,
  concurrency = 8,
): Promise<void> {
  let next = from;
  const worker = async () => {
    while (next < to) {
      const { namespace, name } = seededRollout(next++);
      // A loaded lab may answer late: a POST that timed out is sent again, and 409 then means the first one landed.
      for (let attempt = 1; ; attempt++) {
        const r = await lab
          .api('POST', `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/rollouts`, {
            body: quietRollout(namespace, name),
            timeoutMs: 60_000,
          })
          .catch((err: Error) => {
            if (attempt >= 3) throw err;
            return null;
          });
        if (r === null) continue;
        if (r.status === 201 || (r.status === 409 && attempt > 1)) break;
        throw new Error(`create ${namespace}/${name}: ${r.status} ${r.text}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
