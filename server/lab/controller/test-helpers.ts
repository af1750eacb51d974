/** Helpers for the controller's integration tests (not used by the lab itself). */
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import { templateOf } from './fixtures';
import type { ReplicaSet, Rollout } from './types';

export const RS = resource('replicasets');
export const RO = resource('rollouts');

export const tmpDb = (): string => path.join(mkdtempSync(path.join(tmpdir(), 'lab-controller-')), 'lab.db');

/**
 * A stand-in for the workload runner (server/lab/workloads): marks every ReplicaSet's pods as ready
 * (readyReplicas = availableReplicas = replicas) shortly after it is scaled. The end-to-end runs with real webapp
 * processes, the gateway and Prometheus happen in the lab integration tests.
 */
export function startFakeKubelet(store: LabStore, delayMs = 30): () => void {
  const timers = new Set<NodeJS.Timeout>();
  const sync = (rs: KubeObject) => {
    const t = setTimeout(() => {
      timers.delete(t);
      const cur = store.get(RS, rs.metadata.namespace, rs.metadata.name ?? '') as ReplicaSet | undefined;
      if (!cur) return;
      const n = cur.spec.replicas ?? 1;
      const s = cur.status ?? {};
      if (s.replicas === n && s.availableReplicas === n) return;
      store.update(
        RS,
        {
          ...cur,
          status: {
            replicas: n,
            readyReplicas: n,
            availableReplicas: n,
            observedGeneration: cur.metadata.generation,
          },
        },
        { subresource: 'status' },
      );
    }, delayMs);
    timers.add(t);
  };
  const stop = store.watch(RS, {}, (ev) => {
    if (ev.type !== 'DELETED') sync(ev.object);
  });
  return () => {
    stop();
    for (const t of timers) clearTimeout(t);
  };
}

/** A node:http judge answering `{verdict}` with whatever `verdict.value` holds. */
export async function startJudge(): Promise<{
  url: string;
  verdict: { value: string };
  calls: string[];
  close(): Promise<void>;
}> {
  const verdict = { value: 'promote' };
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    calls.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ verdict: verdict.value }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    verdict,
    calls,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** Namespace, Services, VirtualService and the judge AnalysisTemplate of the demo app. */
export function seedDemo(store: LabStore, judgeUrl: string): void {
  const mk = (plural: string, o: KubeObject) => store.create(resource(plural), o);
  mk('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  for (const name of ['webapp-stable', 'webapp-canary'])
    mk('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'demo' },
      spec: { selector: { app: 'webapp' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
  mk('virtualservices', {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name: 'webapp-vs', namespace: 'demo' },
    spec: {
      hosts: ['webapp.local'],
      http: [
        {
          name: 'primary',
          route: [
            { destination: { host: 'webapp-stable' }, weight: 100 },
            { destination: { host: 'webapp-canary' }, weight: 0 },
          ],
        },
      ],
    },
  });
  mk('analysistemplates', {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: 'judge', namespace: 'demo' },
    spec: {
      args: [{ name: 'namespace' }, { name: 'canary-hash' }],
      metrics: [
        {
          name: 'error-rate',
          interval: '300ms',
          count: 200,
          inconclusiveLimit: 199,
          failureLimit: 0,
          consecutiveSuccessLimit: 1,
          successCondition: 'result == "promote"',
          failureCondition: 'result == "rollback"',
          provider: {
            web: {
              url: `${judgeUrl}/api/v1/judge?ns={{args.namespace}}&hash={{args.canary-hash}}`,
              jsonPath: '{$.verdict}',
            },
          },
        },
      ],
    },
  });
}

export function rolloutObject(steps: unknown[], version = 'v1'): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'webapp', namespace: 'demo' },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'webapp' } },
      template: templateOf(version),
      strategy: {
        canary: {
          canaryService: 'webapp-canary',
          stableService: 'webapp-stable',
          scaleDownDelaySeconds: 1,
          abortScaleDownDelaySeconds: 1,
          trafficRouting: { istio: { virtualService: { name: 'webapp-vs', routes: ['primary'] } } },
          steps: steps as never,
        },
      },
    },
  };
}

export async function waitFor<T>(
  what: string,
  f: () => T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
