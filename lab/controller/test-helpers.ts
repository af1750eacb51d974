/** Helpers for the controller's integration tests (not used by the lab itself). */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor as poll } from '../e2e/wait';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import { startWorkloads } from '../workloads/index';
import { ensureBuilt, LOADGEN_ENTRY, WEBAPP_ENTRY } from '../workloads/testing/lab-fixtures';
import { templateOf } from './fixtures';
import type { Rollout } from './types';

export const RS = resource('replicasets');
export const RO = resource('rollouts');

export const tmpDb = (): string => path.join(mkdtempSync(path.join(tmpdir(), 'lab-controller-')), 'lab.db');

/**
 * The lab's own kubelet and ReplicaSet controller (lab/workloads) on `store`: every pod a real webapp process
 * on a free port, Ready only once its readinessProbe (`/readyz`, 503 during the webapp's warm-up) answers 200, as a
 * real kubelet reports it; ReplicaSet ready/available counts follow the pods. Stopping it ends every process.
 */
export function startLabKubelet(store: LabStore): { stop(): Promise<void> } {
  ensureBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-kubelet-'));
  const workloads = startWorkloads({
    store,
    dir,
    webappEntry: WEBAPP_ENTRY,
    loadgenEntry: LOADGEN_ENTRY,
    maxGraceSeconds: 2,
  });
  return {
    async stop() {
      await workloads.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A scripted judge over HTTP: answers `{verdict}` with whatever `verdict.value` holds. Scripted because these tests
 * are about the controller's reaction to each verdict on cue; the real judge over real metrics is tested in
 * server/slo/evaluate.integration.test.ts (and its route in app/api/v1/judge).
 */
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

/** Polls `f` every 25 ms until it returns a truthy value, or throws after `timeoutMs` naming `what`. */
export const waitFor = <T>(what: string, f: () => T | undefined | false, timeoutMs = 30_000): Promise<T> =>
  poll(what, f, timeoutMs, 25) as Promise<T>;
