import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applySummaryMessages, emptyTable, type SummaryMessage } from '@/lib/overview/summary-stream';
import type { KubeObject, Rollout } from '@/lib/rollout/kube-types';
import { rolloutContext } from '@/lib/rollout/rollout-context';
import { rolloutSummary } from '@/lib/rollout/rollout-view';
import type { InformerEvent } from '@/server/kube/informer';
import type { WatchedKind } from '@/server/kube/kinds';
import type { Connectivity, InformerRegistry } from '@/server/kube/registry';
import { StreamHub } from './hub';
import { RolloutSummaries } from './rollout-summaries';

// A scripted registry, not informers over an API server: the property needs thousands of arbitrary event sequences
// (each kind, any order, deletes) in milliseconds; real informers feed the projection in rollout-summaries.test.ts.
function scriptedRegistry() {
  const subs = new Set<(ev: InformerEvent) => void>();
  const byKind = new Map<WatchedKind, Map<string, KubeObject>>();
  const key = (o: KubeObject) => `${o.metadata?.namespace}/${o.metadata?.name}`;
  const of = (kind: WatchedKind) => byKind.get(kind) ?? byKind.set(kind, new Map()).get(kind) ?? new Map();
  const reg: InformerRegistry = {
    list: (kind, ns) =>
      [...of(kind).values()].filter((o) => ns === undefined || o.metadata?.namespace === ns),
    get: (kind, ns, name) => of(kind).get(`${ns}/${name}`),
    subscribe: (fn) => {
      subs.add(fn);
      return () => subs.delete(fn);
    },
    onConnectivity: () => () => undefined,
    connectivity: () =>
      ({ connected: true, synced: true, lastError: null, kinds: {} }) as unknown as Connectivity,
    waitForSync: async () => true,
    stop: async () => undefined,
  };
  const apply = (kind: WatchedKind, type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject) => {
    if (type === 'DELETED') of(kind).delete(key(object));
    else of(kind).set(key(object), object);
    for (const fn of subs) fn({ kind, type, object } as InformerEvent);
  };
  return { reg, apply };
}

const NS = ['a', 'b'];
const NAMES = ['web', 'web-api', 'db'];
const HASHES = ['h1', 'h2'];

const rollout = (ns: string, name: string, step: number, phase: string, image: string, hash: string) => ({
  kind: 'Rollout',
  metadata: { name, namespace: ns, uid: `ro-${ns}-${name}`, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: {
    replicas: 1,
    template: { spec: { containers: [{ name: 'app', image }] } },
    strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: {} }] } },
  },
  status: { phase, currentStepIndex: step, stableRS: 'h1', currentPodHash: hash },
});
const replicaSet = (ns: string, owner: string, hash: string, image: string) => ({
  kind: 'ReplicaSet',
  metadata: {
    name: `${owner}-${hash}`,
    namespace: ns,
    labels: { 'rollouts-pod-template-hash': hash },
    ownerReferences: [{ kind: 'Rollout', name: owner }],
  },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image }] } } },
  status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 },
});
const run = (ns: string, owner: string, phase: string) => ({
  kind: 'AnalysisRun',
  metadata: { name: `${owner}-run`, namespace: ns, ownerReferences: [{ kind: 'Rollout', name: owner }] },
  status: { phase },
});
const event = (ns: string, name: string) => ({
  kind: 'Event',
  metadata: { name: `${name}.1`, namespace: ns },
  involvedObject: { kind: 'Rollout', name },
  reason: 'RolloutStepCompleted',
});

const ns = fc.constantFrom(...NS);
const name = fc.constantFrom(...NAMES);
const type = fc.constantFrom('ADDED' as const, 'MODIFIED' as const, 'DELETED' as const);
const image = fc.constantFrom('app:v1', 'app:v2');
const change = fc.oneof(
  fc.record({
    kind: fc.constant('rollout' as const),
    type,
    object: fc
      .tuple(
        ns,
        name,
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom('Healthy', 'Paused', 'Degraded'),
        image,
      )
      .chain(([n, m, s, p, i]) => fc.constantFrom(...HASHES).map((h) => rollout(n, m, s, p, i, h))),
  }),
  fc.record({
    kind: fc.constant('replicaset' as const),
    type,
    object: fc
      .tuple(ns, name, fc.constantFrom(...HASHES), image)
      .map(([n, m, h, i]) => replicaSet(n, m, h, i)),
  }),
  fc.record({
    kind: fc.constant('analysisrun' as const),
    type,
    object: fc.tuple(ns, name, fc.constantFrom('Running', 'Failed')).map(([n, m, p]) => run(n, m, p)),
  }),
  fc.record({
    kind: fc.constant('event' as const),
    type,
    object: fc.tuple(ns, name).map(([n, m]) => event(n, m)),
  }),
);

describe('RolloutSummaries (the overview rows projected per change)', () => {
  it('a reader that applies the snapshot and every delta holds the pure summaries of the objects, over any sequence of watch events', () => {
    fc.assert(
      fc.property(
        fc.array(change, { maxLength: 12 }),
        fc.array(change, { maxLength: 30 }),
        (before, after) => {
          const { reg, apply } = scriptedRegistry();
          for (const c of before) apply(c.kind, c.type, c.object as KubeObject);
          const hub = new StreamHub(reg);
          const got: SummaryMessage[] = [];
          const opened = new RolloutSummaries(hub).open(undefined, (d) => got.push(d));
          got.unshift(...opened.first);
          for (const c of after) apply(c.kind, c.type, c.object as KubeObject);
          const { table, resync } = applySummaryMessages(emptyTable(), got);
          expect(resync).toBe(false);
          const list = (kind: WatchedKind, n: string) => reg.list(kind, n);
          const want = reg
            .list('rollout')
            .map((ro) => rolloutSummary(ro as Rollout, rolloutContext(ro as Rollout, list, 0)));
          const byKey = (rows: { namespace: string; name: string }[]) =>
            [...rows].sort((x, y) => `${x.namespace}/${x.name}`.localeCompare(`${y.namespace}/${y.name}`));
          expect(byKey(table.rows)).toEqual(byKey(want));
          // No delta is empty, and a change that leaves every row as it was sends none.
          for (const m of got)
            if (m.type === 'DELTA') expect(m.upsert.length + m.remove.length).toBeGreaterThan(0);
          opened.off();
          hub.close();
        },
      ),
      { numRuns: 300 },
    );
  });
});
