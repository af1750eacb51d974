/**
 * Who owns what under Argo CD (README "Who owns what"): every field the control center's actions, the
 * `./run.sh canary-*` commands and the rollouts controller's traffic split write is one Argo CD leaves alone.
 *
 * The paths are not listed by hand: each action runs for real (server/actions' runAction, scripts/canary's Kube)
 * against a lab API server seeded with the objects Argo CD syncs from Git (`kubectl kustomize manifests/demo/kind`),
 * and the test diffs every object before and after. Each changed path (kind, name, JSON pointer) must be
 *  - ignored by an ignoreDifferences entry of manifests/argocd/application-webapp.yaml (evaluated as Argo CD does:
 *    RFC 6902 remove for jsonPointers, the real jq for jqPathExpressions), or
 *  - status: Argo CD ignores `status` of every resource by default (util/settings/settings.go GetDefaultDiffOptions:
 *    ignoreResourceStatusField "all", v3.1.9 and v3.5.1) and never applies it (controller/sync.go drops live status
 *    from what RespectIgnoreDifferences copies); the Rollout's status is the rollouts controller's, and promote/abort/
 *    retry/promote-full write there as kubectl-argo-rollouts does; or
 *  - not in Git: a field the rendered Git manifest does not hold (spec.paused, spec.restartAt), under no list Git holds:
 *    Argo CD's diffs keep live-only fields (gitops-engine/pkg/diff/diff.go), so neither the diff nor self-heal touches it;
 *  - or a whole object Git does not hold and Argo CD does not track (the load Job: no tracking annotation or label,
 *    so it is not part of the Application and never pruned).
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type KubeObject, withWeights } from '@control-center/lab/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ActionRequest } from '@/lib/schemas/actions';
import { Kube } from '@/scripts/canary/kube';
import { kustomize, MANIFESTS } from '@/scripts/cluster/manifests-helpers';
import { requireTool } from '@/support/testing/tools';
import { runAction } from '../actions/run-action';
import {
  changedPaths,
  type IgnoreEntry,
  type Json,
  normalize,
  notInGit,
  type ObjectRef,
  pointerTokens,
  valueAt,
} from './testing/argocd-diff';
import { create, type LabKube, R, startLabKube } from './testing/lab-kube';

type Owner = 'ignored' | 'status' | 'not in Git' | 'untracked object' | 'UNCOVERED';
interface Change {
  by: string;
  kind: string;
  name: string;
  path: string;
  owner: Owner;
}

const NS = 'demo';
const KINDS = [
  { r: () => R.ro, group: 'argoproj.io', kind: 'Rollout' },
  { r: () => R.cm, group: '', kind: 'ConfigMap' },
  { r: () => R.vs, group: 'networking.istio.io', kind: 'VirtualService' },
  { r: () => R.job, group: 'batch', kind: 'Job' },
] as const;

const application = () =>
  parse(readFileSync(path.join(MANIFESTS, 'argocd/application-webapp.yaml'), 'utf8')) as {
    spec: { ignoreDifferences: IgnoreEntry[]; syncPolicy: { syncOptions: string[] } };
  };

let k: LabKube;
let jq: string;
let git: KubeObject[];
const gitObject = (kind: string, name: string) =>
  git.find((o) => o.kind === kind && o.metadata?.name === name && (o.metadata?.namespace ?? NS) === NS);

beforeAll(async () => {
  jq = requireTool('jq');
  requireTool('kubectl');
  git = kustomize('manifests/demo/kind') as unknown as KubeObject[];
  k = await startLabKube();
  create(k.lab, 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
});
afterAll(async () => {
  await k?.close();
});

const IMAGE_V10 = 'localhost:5001/webapp:v1.0';
const IMAGE_V11 = 'localhost:5001/webapp:v1.1';

/** The Git objects back in the lab, the Rollout at `image` with `status`; ReplicaSets for revisions 1 (v1.0), 2 (v1.1). */
function reset(status: Record<string, unknown>, spec: Record<string, unknown> = {}, image = IMAGE_V10) {
  for (const { r } of KINDS)
    for (const o of k.lab.store.list(r(), { namespace: NS }).items)
      k.lab.store.delete(r(), NS, o.metadata?.name ?? '');
  for (const o of k.lab.store.list(R.rs, { namespace: NS }).items)
    k.lab.store.delete(R.rs, NS, o.metadata?.name ?? '');
  for (const kind of ['ConfigMap', 'VirtualService']) {
    const o = gitObject(kind, kind === 'ConfigMap' ? 'webapp-faults' : 'webapp');
    if (!o) throw new Error(`Git (manifests/demo/kind) has no ${kind}`);
    create(k.lab, kind === 'ConfigMap' ? 'configmaps' : 'virtualservices', structuredClone(o));
  }
  const ro = structuredClone(gitObject('Rollout', 'webapp')) as KubeObject & {
    spec: Record<string, unknown>;
  };
  if (!ro) throw new Error('Git (manifests/demo/kind) has no Rollout webapp');
  const tpl = ro.spec.template as { spec: { containers: Array<{ image: string }> } };
  const gitTemplate = structuredClone(tpl);
  for (const c of tpl.spec.containers) c.image = image;
  Object.assign(ro.spec, spec);
  create(k.lab, 'rollouts', ro);
  k.lab.store.mutate(R.ro, NS, 'webapp', (o) => ({ ...o, status }), { subresource: 'status' });
  // The controller's ReplicaSets: the Rollout's template of that revision plus the pod-template-hash label.
  for (const [hash, img, rev] of [
    ['h1', IMAGE_V10, 1],
    ['h2', IMAGE_V11, 2],
  ] as const) {
    const t = structuredClone(gitTemplate) as {
      metadata: { labels: Record<string, string> };
      spec: { containers: Array<{ image: string }> };
    };
    for (const c of t.spec.containers) c.image = img;
    t.metadata.labels['rollouts-pod-template-hash'] = hash;
    create(k.lab, 'replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `webapp-${hash}`,
        namespace: NS,
        labels: { app: 'webapp', 'rollouts-pod-template-hash': hash },
        annotations: { 'rollout.argoproj.io/revision': String(rev) },
        ownerReferences: [
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'webapp', uid: 'x', controller: true },
        ],
      },
      spec: { replicas: 1, selector: { matchLabels: { app: 'webapp' } }, template: t },
    });
  }
}

type Snapshot = Map<string, { ref: ObjectRef; obj: Json }>;
function snapshot(): Snapshot {
  const out: Snapshot = new Map();
  for (const { r, group, kind } of KINDS)
    for (const o of k.lab.store.list(r(), { namespace: NS }).items) {
      const name = o.metadata?.name ?? '';
      out.set(`${kind}/${name}`, { ref: { group, kind, namespace: NS, name }, obj: o as unknown as Json });
    }
  return out;
}

function classify(by: string, before: Snapshot, after: Snapshot, entries: IgnoreEntry[]): Change[] {
  const out: Change[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key);
    const a = after.get(key);
    const ref = (a ?? b)?.ref as ObjectRef;
    const desired = gitObject(ref.kind, ref.name) as unknown as Json | undefined;
    // Argo CD's view of each side (normalized once per object: every jq expression is a real jq run).
    const seen = new Map<Json, Json>();
    const normalized = (o: Json) => seen.get(o) ?? seen.set(o, normalize(jq, entries, ref, o)).get(o);
    for (const p of changedPaths(b?.obj, a?.obj)) {
      let owner: Owner = 'UNCOVERED';
      if (p === '' && !desired) {
        const o = (a ?? b)?.obj as { metadata?: Record<string, Record<string, string> | undefined> };
        const tracked =
          o.metadata?.annotations?.['argocd.argoproj.io/tracking-id'] !== undefined ||
          o.metadata?.labels?.['app.kubernetes.io/instance'] !== undefined;
        owner = tracked ? 'UNCOVERED' : 'untracked object';
      } else if (p.startsWith('/status/') || p === '/status') owner = 'status';
      else if (desired && notInGit(desired, p)) owner = 'not in Git';
      else {
        const tokens = pointerTokens(p);
        const gone = (o: Json | undefined) => o === undefined || valueAt(normalized(o), tokens) === undefined;
        if (gone(b?.obj) && gone(a?.obj)) owner = 'ignored';
      }
      out.push({ by, kind: ref.kind, name: ref.name, path: p, owner });
    }
  }
  return out;
}

const inProgress = { stableRS: 'h1', currentPodHash: 'h2', phase: 'Progressing', currentStepIndex: 1 };
const healthy = { stableRS: 'h1', currentPodHash: 'h1', phase: 'Healthy', currentStepIndex: 7 };
const paused = {
  ...inProgress,
  phase: 'Paused',
  pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-01-01T00:00:00Z' }],
};
const ui = (req: ActionRequest) => () => runAction(k.clients, NS, 'webapp', req);
const script = () => new Kube(k.lab.kubeconfig);

/** Every writer: its starting state and the real call. */
const WRITERS: Array<{ by: string; setup: () => unknown; run: () => Promise<unknown> }> = [
  { by: 'UI launch', setup: () => reset(healthy), run: ui({ action: 'launch', body: { image: IMAGE_V11 } }) },
  {
    by: 'UI undo',
    setup: () => reset(inProgress, {}, IMAGE_V11),
    run: ui({ action: 'undo', body: { revision: 1 } }),
  },
  {
    by: 'UI canary fault',
    setup: () => reset(inProgress, {}, IMAGE_V11),
    run: ui({
      action: 'faults',
      body: { scope: 'canary', errorRate: 0.3, latencyMs: 200, httpStatus: 503, clear: false },
    }),
  },
  {
    by: 'UI canary fault clear',
    setup: async () => {
      reset(inProgress, {}, IMAGE_V11);
      await ui({
        action: 'faults',
        body: { scope: 'canary', errorRate: 0.3, latencyMs: 0, httpStatus: 503, clear: false },
      })();
    },
    run: ui({
      action: 'faults',
      body: { scope: 'canary', errorRate: 0, latencyMs: 0, httpStatus: 503, clear: true },
    }),
  },
  {
    by: 'UI mesh fault',
    setup: () => reset(inProgress, {}, IMAGE_V11),
    run: ui({
      action: 'faults',
      body: { scope: 'mesh', errorRate: 0.5, latencyMs: 300, httpStatus: 503, clear: false },
    }),
  },
  {
    by: 'UI mesh fault clear',
    setup: async () => {
      reset(inProgress, {}, IMAGE_V11);
      await ui({
        action: 'faults',
        body: { scope: 'mesh', errorRate: 0.5, latencyMs: 0, httpStatus: 503, clear: false },
      })();
    },
    run: ui({
      action: 'faults',
      body: { scope: 'mesh', errorRate: 0, latencyMs: 0, httpStatus: 503, clear: true },
    }),
  },
  {
    by: 'UI promote (paused, spec.paused)',
    setup: () => reset(paused, { paused: true }, IMAGE_V11),
    run: ui({ action: 'promote', body: {} }),
  },
  {
    by: 'UI promote (inconclusive analysis)',
    setup: () =>
      reset(
        {
          ...paused,
          controllerPause: true,
          pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: '2026-01-01T00:00:00Z' }],
          canary: { currentStepAnalysisRunStatus: { name: 'webapp-h2-2', status: 'Inconclusive' } },
        },
        {},
        IMAGE_V11,
      ),
    run: ui({ action: 'promote', body: {} }),
  },
  {
    by: 'UI promote (analysis step running)',
    setup: () => reset(inProgress, {}, IMAGE_V11),
    run: ui({ action: 'promote', body: {} }),
  },
  {
    by: 'UI promote-full',
    setup: () => reset(inProgress, { paused: true }, IMAGE_V11),
    run: ui({ action: 'promote-full', body: {} }),
  },
  { by: 'UI abort', setup: () => reset(inProgress, {}, IMAGE_V11), run: ui({ action: 'abort', body: {} }) },
  {
    by: 'UI retry',
    setup: () => reset({ ...inProgress, abort: true }, {}, IMAGE_V11),
    run: ui({ action: 'retry', body: {} }),
  },
  { by: 'UI restart', setup: () => reset(healthy), run: ui({ action: 'restart', body: {} }) },
  { by: 'UI pause', setup: () => reset(inProgress, {}, IMAGE_V11), run: ui({ action: 'pause', body: {} }) },
  {
    by: 'UI resume',
    setup: () => reset(inProgress, { paused: true }, IMAGE_V11),
    run: ui({ action: 'resume', body: {} }),
  },
  {
    by: 'UI load start',
    setup: () => reset(inProgress, {}, IMAGE_V11),
    run: ui({ action: 'load', body: { rps: 5, durationSeconds: 60 } }),
  },
  {
    by: './run.sh canary-failure: faults',
    setup: () => reset(healthy),
    run: () => script().setFaults(NS, 'webapp-faults', JSON.stringify({ 'v1.1': { errorRate: 0.3 } })),
  },
  {
    by: './run.sh canary-*: faults cleared',
    setup: async () => {
      reset(healthy);
      await script().setFaults(NS, 'webapp-faults', JSON.stringify({ 'v1.1': { errorRate: 0.3 } }));
    },
    run: () => script().setFaults(NS, 'webapp-faults', '{}'),
  },
  {
    by: './run.sh canary-*: set image',
    setup: () => reset(healthy),
    run: () => script().setImage(NS, 'webapp', 'webapp', IMAGE_V11),
  },
  {
    by: './run.sh canary-*: retry',
    setup: () => reset({ ...inProgress, abort: true }, {}, IMAGE_V11),
    run: () => script().patchRolloutStatus(NS, 'webapp', { status: { abort: false } }),
  },
  {
    // Argo Rollouts writes the split at each setWeight step (its field manager: "argo-rollouts"); the lab
    // controller's writer stands for it here.
    by: 'rollouts controller: setWeight 10',
    setup: () => reset(inProgress, {}, IMAGE_V11),
    run: async () => {
      const vs = k.lab.store.mustGet(R.vs, NS, 'webapp');
      const next = withWeights(
        vs as Parameters<typeof withWeights>[0],
        { routes: ['primary'], canaryService: 'webapp-canary', stableService: 'webapp-stable' },
        10,
      );
      k.lab.store.update(R.vs, next as KubeObject);
    },
  },
];

interface Write {
  by: string;
  before: Snapshot;
  after: Snapshot;
}

/** Runs every writer from its starting state and keeps the objects before and after. */
async function allWrites(): Promise<Write[]> {
  const out: Write[] = [];
  for (const w of WRITERS) {
    await w.setup();
    const before = snapshot();
    await w.run();
    out.push({ by: w.by, before, after: snapshot() });
  }
  return out;
}

function allChanges(writes: Write[], entries: IgnoreEntry[]): Change[] {
  return writes.flatMap((w) => {
    const changes = classify(w.by, w.before, w.after, entries);
    if (changes.length === 0) throw new Error(`${w.by} changed nothing: the scenario no longer exercises it`);
    return changes;
  });
}

describe('Argo CD keeps its hands off what the control center and the rollouts controller write', () => {
  let writes: Write[];
  let changes: Change[];
  beforeAll(async () => {
    writes = await allWrites();
    changes = allChanges(writes, application().spec.ignoreDifferences);
  }, 120_000);

  it('every path an action writes is ignored, status, not in Git, or an object Argo CD does not track', () => {
    const uncovered = changes.filter((c) => c.owner === 'UNCOVERED');
    expect(uncovered, JSON.stringify(uncovered, null, 1)).toEqual([]);
  });

  it('the Git-held fields the actions change are exactly the ignored ones', () => {
    const ignored = new Set(
      changes.filter((c) => c.owner === 'ignored').map((c) => `${c.kind}/${c.name} ${c.path}`),
    );
    expect([...ignored].sort()).toEqual([
      'ConfigMap/webapp-faults /data/faults.json',
      'Rollout/webapp /spec/template/spec/containers/0/image',
      'VirtualService/webapp /spec/http/0/fault',
      'VirtualService/webapp /spec/http/0/route/0/weight',
      'VirtualService/webapp /spec/http/0/route/1/weight',
    ]);
    // Fields Git does not hold, written by promote / pause / resume / restart.
    const notInGit = new Set(changes.filter((c) => c.owner === 'not in Git').map((c) => c.path));
    expect([...notInGit].sort()).toEqual(['/spec/paused', '/spec/restartAt']);
  });

  it('each ignoreDifferences entry is needed: without it some action is UNCOVERED', () => {
    const entries = application().spec.ignoreDifferences;
    for (let i = 0; i < entries.length; i++) {
      const without = entries.filter((_, j) => j !== i);
      const uncovered = allChanges(writes, without).filter((c) => c.owner === 'UNCOVERED');
      expect(uncovered.length, `entry ${i} (${JSON.stringify(entries[i])})`).toBeGreaterThan(0);
    }
  }, 120_000);

  it('syncs respect the ignored fields and nothing re-enables status diffing', () => {
    expect(application().spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    const cm = parse(readFileSync(path.join(MANIFESTS, 'argocd/argocd-cm-patch.yaml'), 'utf8')) as {
      data?: Record<string, string>;
    };
    const compare = cm.data?.['resource.compareoptions'];
    if (compare !== undefined) expect(parse(compare)?.ignoreResourceStatusField ?? 'all').toBe('all');
  });
});
