/** Test support: the demo namespace's objects in a lab store, and rollouts in chosen states. */
import type { KubeObject, TestLab } from '@control-center/lab/testing';
import { create, R } from './lab-kube';

export const image = (tag: string) => `webapp:${tag}`;
export const template = (tag: string) => ({
  metadata: { labels: { app: 'webapp' } },
  spec: { containers: [{ name: 'webapp', image: image(tag), ports: [{ containerPort: 8080 }] }] },
});

export const STEPS = [
  { setWeight: 10 },
  { pause: {} },
  { analysis: { templates: [{ templateName: 'webapp-slo' }] } },
  { setWeight: 50 },
  { pause: { duration: '30s' } },
];

export function seedDemo(lab: TestLab): void {
  create(lab, 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  create(lab, 'configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'webapp-faults', namespace: 'demo' },
    data: { 'faults.json': JSON.stringify({ 'v0.9': { errorRate: 0.5, latencyMs: 0 } }) },
  });
  create(lab, 'virtualservices', {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'webapp-vs', namespace: 'demo' },
    spec: {
      hosts: ['webapp.local'],
      http: [
        { name: 'other', route: [{ destination: { host: 'other' } }] },
        {
          name: 'primary',
          route: [
            { destination: { host: 'webapp-stable' }, weight: 70 },
            { destination: { host: 'webapp-canary' }, weight: 30 },
          ],
        },
      ],
    },
  });
}

export function rolloutObject(tag: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'webapp', namespace: 'demo' },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'webapp' } },
      template: template(tag),
      strategy: {
        canary: {
          canaryService: 'webapp-canary',
          stableService: 'webapp-stable',
          trafficRouting: { istio: { virtualService: { name: 'webapp-vs', routes: ['primary'] } } },
          steps: STEPS,
        },
      },
      ...spec,
    },
  };
}

/** (Re)creates demo/webapp at `tag` with the given status (written through the status subresource). */
export function setRollout(
  lab: TestLab,
  tag: string,
  status: Record<string, unknown>,
  spec: Record<string, unknown> = {},
): KubeObject {
  if (lab.store.get(R.ro, 'demo', 'webapp')) lab.store.delete(R.ro, 'demo', 'webapp');
  create(lab, 'rollouts', rolloutObject(tag, spec));
  return lab.store.mutate(R.ro, 'demo', 'webapp', (o) => ({ ...o, status }), { subresource: 'status' });
}

export const inProgress = { stableRS: 'h1', currentPodHash: 'h2', phase: 'Progressing' };
export const healthy = { stableRS: 'h1', currentPodHash: 'h1', phase: 'Healthy', currentStepIndex: 5 };

export const readRollout = (lab: TestLab) =>
  lab.store.get(R.ro, 'demo', 'webapp') as KubeObject & {
    spec: Record<string, unknown> & { template: { metadata?: { labels?: Record<string, string> } } };
    status: Record<string, unknown>;
  };
