/** Expands the compact YAML fixtures in testdata/ into full objects (test helper). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { AnalysisRun, Pod, ReplicaSet, Rollout, VirtualService } from '../kube-types';
import type { RolloutContext } from '../rollout-view';

export interface ViewFixture {
  file: string;
  name: string;
  rollout: Rollout;
  ctx: RolloutContext;
  expect: Record<string, unknown>;
  stepStates?: string[];
  noResumesAt?: boolean;
}

interface RawFixture {
  name: string;
  now: string;
  rollout?: Record<string, unknown>;
  replicaSets?: Array<{ hash: string; image: string; revision: number; replicas: number; ready: number }>;
  analysisRuns?: AnalysisRun[];
  pods?: Array<{ name: string; hash: string; ready?: boolean }>;
  canaryWeight?: number;
  expect: Record<string, unknown>;
  stepStates?: string[];
  noResumesAt?: boolean;
}

const dir = __dirname;

function deepMerge(a: unknown, b: unknown): unknown {
  if (b === undefined) return a;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b)) {
      if (v === null) delete out[k];
      else out[k] = deepMerge(out[k], v);
    }
    return out;
  }
  return b;
}

const owner = [
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'webapp', uid: 'ro-uid', controller: true },
];

export function replicaSet(x: {
  hash: string;
  image: string;
  revision: number;
  replicas: number;
  ready: number;
}) {
  const labels = { app: 'webapp', 'rollouts-pod-template-hash': x.hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `webapp-${x.hash}`,
      namespace: 'demo',
      labels,
      annotations: { 'rollout.argoproj.io/revision': String(x.revision) },
      ownerReferences: owner,
      creationTimestamp: '2024-05-01T09:00:00Z',
    },
    spec: {
      replicas: x.replicas,
      template: { metadata: { labels }, spec: { containers: [{ name: 'webapp', image: x.image }] } },
    },
    status: { replicas: x.replicas, readyReplicas: x.ready, availableReplicas: x.ready },
  } satisfies ReplicaSet;
}

export function virtualService(canaryWeight: number): VirtualService {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'webapp-vs', namespace: 'demo' },
    spec: {
      hosts: ['webapp.local'],
      http: [
        {
          name: 'primary',
          route: [
            { destination: { host: 'webapp-stable' }, weight: 100 - canaryWeight },
            { destination: { host: 'webapp-canary' }, weight: canaryWeight },
          ],
        },
      ],
    },
  };
}

export function loadFixtures(): ViewFixture[] {
  const base = parse(readFileSync(path.join(dir, 'base.yaml'), 'utf8')) as Record<string, unknown>;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'base.yaml')
    .sort()
    .map((file) => {
      const raw = parse(readFileSync(path.join(dir, file), 'utf8')) as RawFixture;
      const pods: Pod[] = (raw.pods ?? []).map((p) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: p.name, namespace: 'demo', labels: { 'rollouts-pod-template-hash': p.hash } },
        status: { conditions: [{ type: 'Ready', status: p.ready === false ? 'False' : 'True' }] },
      }));
      return {
        file,
        name: raw.name,
        rollout: deepMerge(base, raw.rollout) as Rollout,
        ctx: {
          now: Date.parse(raw.now),
          replicaSets: (raw.replicaSets ?? []).map(replicaSet),
          analysisRuns: raw.analysisRuns ?? [],
          pods,
          virtualService: raw.canaryWeight === undefined ? undefined : virtualService(raw.canaryWeight),
        },
        expect: raw.expect,
        stepStates: raw.stepStates,
        noResumesAt: raw.noResumesAt,
      };
    });
}
