/** Expands the compact decide() fixtures in testdata/ into full objects (test helper). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Observed } from './decide-types';
import { podTemplateHash } from './hash';
import { buildReplicaSet } from './replicasets';
import { RUN_TYPE_LABEL, STEP_INDEX_LABEL } from './rollout-analysis';
import {
  type AnalysisRun,
  HASH_LABEL,
  type Pod,
  type PodTemplate,
  REVISION_ANNOTATION,
  type Rollout,
  SCALE_DOWN_DEADLINE_ANNOTATION,
  type Service,
  type VirtualService,
} from './types';

const IMAGES: Record<string, string> = { v1: 'webapp:v1.0', v2: 'webapp:v1.1', v3: 'webapp:v1.2' };
export const templateOf = (v: string): PodTemplate => ({
  metadata: { labels: { app: 'webapp' } },
  spec: { containers: [{ name: 'webapp', image: IMAGES[v] ?? v, ports: [{ containerPort: 8080 }] }] },
});
export const HASHES: Record<string, string> = Object.fromEntries(
  Object.keys(IMAGES).map((v) => [v, podTemplateHash(templateOf(v))]),
);

/** Replaces `$v1`.. in every string with the template hashes. */
export function subst<T>(v: T): T {
  return JSON.parse(JSON.stringify(v).replace(/\$(v\d)/g, (all, k: string) => HASHES[k] ?? all)) as T;
}

function deepMerge(a: unknown, b: unknown): unknown {
  if (b === undefined) return a;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b)) out[k] = v === null ? undefined : deepMerge(out[k], v);
    return out;
  }
  return b;
}

export interface CompactRS {
  v: string;
  revision: number;
  replicas: number;
  available?: number;
  deadline?: string;
}
export interface CompactRun {
  v: string;
  kind?: 'Step' | 'Background';
  step?: number;
  /** 1 for `<name>`, n for Argo's collision suffix `<name>.<n-1>`. */
  attempt?: number;
  /** Revision annotation; default the revision of this version's ReplicaSet in the case. */
  revision?: number;
  phase?: string;
  message?: string;
  terminate?: boolean;
}
export interface CompactPod {
  name: string;
  v: string;
  created: string;
  ready?: boolean;
  deleting?: boolean;
}
export interface FixtureCase {
  name: string;
  now: string;
  rollout?: Record<string, unknown>;
  replicaSets?: CompactRS[];
  analysisRuns?: CompactRun[];
  services?: { stable?: string; canary?: string } | null;
  weight?: number;
  virtualService?: false;
  pods?: CompactPod[];
  expect: { actions?: unknown[]; status?: Record<string, unknown>; requeueAfterMs?: number };
}

const base = parse(readFileSync(path.join(__dirname, 'testdata/base.yaml'), 'utf8')) as {
  rollout: Rollout & { spec: { template: unknown } };
  analysisTemplates: Observed['analysisTemplates'];
};

export function loadCases(file: string): FixtureCase[] {
  return subst(parse(readFileSync(path.join(__dirname, 'testdata', file), 'utf8')) as FixtureCase[]);
}

/** The Observed a case describes. */
export function observedFor(c: FixtureCase): Observed {
  const merged = deepMerge(base.rollout, c.rollout) as Rollout & { spec: { template: unknown } };
  const ro = structuredClone(merged) as Rollout;
  if (typeof merged.spec.template === 'string') ro.spec.template = templateOf(merged.spec.template);
  const rs = (c.replicaSets ?? []).map((x) => {
    const r = buildReplicaSet(
      { ...ro, spec: { ...ro.spec, template: templateOf(x.v) } },
      HASHES[x.v] ?? x.v,
      x.revision,
      x.replicas,
    );
    r.status = { replicas: x.replicas, readyReplicas: x.available ?? 0, availableReplicas: x.available ?? 0 };
    if (x.deadline)
      r.metadata.annotations = { ...r.metadata.annotations, [SCALE_DOWN_DEADLINE_ANNOTATION]: x.deadline };
    return r;
  });
  const runs: AnalysisRun[] = (c.analysisRuns ?? []).map((r) => {
    const kind = r.kind ?? 'Step';
    const hash = HASHES[r.v] ?? r.v;
    const attempt = r.attempt ?? 1;
    const revision = r.revision ?? c.replicaSets?.find((x) => x.v === r.v)?.revision ?? 1;
    const stem = `webapp-${hash}-${revision}${kind === 'Step' ? `-${r.step ?? 0}` : ''}`;
    const labels: Record<string, string> = { [HASH_LABEL]: hash, [RUN_TYPE_LABEL]: kind, app: 'webapp' };
    if (kind === 'Step') labels[STEP_INDEX_LABEL] = String(r.step ?? 0);
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: {
        name: attempt > 1 ? `${stem}.${attempt - 1}` : stem,
        namespace: 'demo',
        labels,
        annotations: { [REVISION_ANNOTATION]: String(revision) },
        ownerReferences: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Rollout',
            name: 'webapp',
            uid: 'ro-uid',
            controller: true,
          },
        ],
      },
      spec: { metrics: [], terminate: r.terminate },
      status: r.phase ? { phase: r.phase, message: r.message } : undefined,
    };
  });
  const svc = (name: string, v: string | undefined): Service => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'demo' },
    spec: { selector: v ? { app: 'webapp', [HASH_LABEL]: v } : { app: 'webapp' } },
  });
  const services =
    c.services === null
      ? []
      : [svc('webapp-stable', c.services?.stable), svc('webapp-canary', c.services?.canary)];
  const w = c.weight ?? 0;
  const vs: VirtualService = {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name: 'webapp-vs', namespace: 'demo' },
    spec: {
      hosts: ['webapp.local'],
      http: [
        {
          name: 'primary',
          route: [
            { destination: { host: 'webapp-stable' }, weight: 100 - w },
            { destination: { host: 'webapp-canary' }, weight: w },
          ],
        },
      ],
    },
  };
  const pods: Pod[] = (c.pods ?? []).map((p) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: 'demo',
      creationTimestamp: p.created,
      labels: { app: 'webapp', [HASH_LABEL]: HASHES[p.v] ?? p.v },
      ...(p.deleting ? { deletionTimestamp: p.created } : {}),
    },
    status: { conditions: [{ type: 'Ready', status: p.ready === false ? 'False' : 'True' }] },
  }));
  return {
    now: Date.parse(c.now),
    rollout: ro,
    replicaSets: rs,
    analysisRuns: runs,
    analysisTemplates: base.analysisTemplates,
    clusterAnalysisTemplates: [],
    services,
    virtualService: c.virtualService === false ? undefined : vs,
    pods,
  };
}
