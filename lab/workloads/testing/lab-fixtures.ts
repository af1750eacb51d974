import { execSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { waitFor as poll } from '../../e2e/wait';
import { LabStore } from '../../store/lab-store';
import { resource } from '../../store/resources';
import type { KubeObject } from '../../store/types';

export const ROOT = path.resolve(__dirname, '../../..');
export const WEBAPP_ENTRY = path.join(ROOT, 'webapp/dist/server.js');
export const LOADGEN_ENTRY = path.join(ROOT, 'loadgen/dist/cli.js');

/** Builds webapp/loadgen once when their dist is missing (`npm ci && npm run build`). */
export function ensureBuilt(): void {
  for (const [dir, entry] of [
    ['webapp', WEBAPP_ENTRY],
    ['loadgen', LOADGEN_ENTRY],
  ] as const) {
    if (!fs.existsSync(entry))
      execSync('npm ci && npm run build', { cwd: path.join(ROOT, dir), stdio: 'inherit' });
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export const R = {
  ns: resource('namespaces'),
  pods: resource('pods'),
  svc: resource('services'),
  cm: resource('configmaps'),
  rs: resource('replicasets'),
  jobs: resource('jobs'),
  vs: resource('virtualservices'),
  gw: resource('gateways'),
  events: resource('events'),
};

export const HASH_STABLE = 'aaaa1111';
export const HASH_CANARY = 'bbbb2222';

export function replicaSet(
  name: string,
  version: string,
  hash: string,
  replicas: number,
  env: object[] = [],
): KubeObject {
  const labels = { app: 'webapp', version, 'rollouts-pod-template-hash': hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'demo', labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'webapp', 'rollouts-pod-template-hash': hash } },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: 'webapp',
              image: `localhost:5001/webapp:${version}`,
              env: [
                { name: 'WARMUP_MS', value: '300' },
                { name: 'FAULTS_FILE', value: '/etc/faults' },
                ...env,
              ],
              volumeMounts: [{ name: 'faults', mountPath: '/etc/faults' }],
              readinessProbe: { httpGet: { path: '/readyz', port: 8080 } },
            },
          ],
          volumes: [{ name: 'faults', configMap: { name: 'webapp-faults' } }],
        },
      },
    },
  };
}

function service(name: string, hash: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'demo' },
    spec: {
      selector: { app: 'webapp', 'rollouts-pod-template-hash': hash },
      ports: [{ port: 80, targetPort: 8080 }],
    },
  };
}

export function virtualService(
  stable: number,
  canary: number,
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name: 'webapp', namespace: 'demo' },
    spec: {
      hosts: ['webapp.local'],
      gateways: ['webapp-gateway'],
      http: [
        {
          name: 'primary',
          ...extra,
          route: [
            { destination: { host: 'webapp-stable' }, weight: stable },
            { destination: { host: 'webapp-canary.demo.svc.cluster.local' }, weight: canary },
          ],
        },
      ],
    },
  };
}

/** A store with namespace demo, ConfigMap webapp-faults, the two Services, the Gateway and the VirtualService. */
export function demoStore(dir: string, opts: { stable?: number; canary?: number } = {}): LabStore {
  const store = new LabStore({ file: path.join(dir, 'lab.db') });
  store.create(R.ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  store.create(R.cm, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'webapp-faults', namespace: 'demo' },
    data: { 'faults.json': '{}' },
  });
  store.create(R.svc, service('webapp-stable', HASH_STABLE));
  store.create(R.svc, service('webapp-canary', HASH_CANARY));
  store.create(R.gw, {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'Gateway',
    metadata: { name: 'webapp-gateway', namespace: 'demo' },
    spec: {
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
    },
  });
  store.create(R.vs, virtualService(opts.stable ?? 90, opts.canary ?? 10));
  return store;
}

/** Polls `fn` every 50 ms until it returns a truthy value, or throws after `timeoutMs` naming `what`. */
export const waitFor = <T>(
  what: string,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> => poll(what, fn, timeoutMs, 50) as Promise<T>;

export function podsOf(store: LabStore, hash: string): KubeObject[] {
  return store.list(R.pods, { namespace: 'demo', labelSelector: `rollouts-pod-template-hash=${hash}` }).items;
}

export function readyPods(store: LabStore, hash: string): KubeObject[] {
  return podsOf(store, hash).filter((p) =>
    (p.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions?.some(
      (c) => c.type === 'Ready' && c.status === 'True',
    ),
  );
}

export function pidsOf(pod: KubeObject): number[] {
  return (pod.metadata.annotations?.['lab.rollouts.io/pids'] ?? '').split(',').filter(Boolean).map(Number);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** GET with a Host header (fetch cannot set Host). */
export function httpGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}
