import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialLiveState, type LiveMessage, type LiveState, reduceAll } from '@/lib/client/live-state';
import { liveSummaries } from '@/lib/client/select';
import { LOAD_DURATION_ANNOTATION, LOAD_MANAGED_BY } from '@/lib/rollout/load-progress';
import { rolloutContext } from '@/lib/rollout/rollout-context';
import { rolloutSummary, rolloutView } from '@/lib/rollout/rollout-view';
import { SummaryRows } from './summary-rows';

let rv = 1;
const ro = (ns: string, name: string, extra: Record<string, unknown> = {}) => ({
  kind: 'Rollout',
  metadata: { name, namespace: ns, resourceVersion: String(rv++), uid: `uid-${ns}-${name}` },
  spec: {
    replicas: 1,
    template: { spec: { containers: [{ name: 'app', image: `app:${name}` }] } },
    strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
  },
  status: { phase: 'Healthy', stableRS: 'abc', currentPodHash: 'abc' },
  ...extra,
});
const rs = (ns: string, name: string, replicas: number) => ({
  kind: 'ReplicaSet',
  metadata: {
    name: `${name}-abc`,
    namespace: ns,
    resourceVersion: String(rv++),
    uid: `uid-rs-${ns}-${name}`,
    labels: { 'rollouts-pod-template-hash': 'abc' },
    ownerReferences: [{ kind: 'Rollout', name }],
  },
  spec: { replicas, template: { spec: { containers: [{ name: 'app', image: `app:${name}` }] } } },
  status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
});
const msg = (event: string, type: string, object: unknown, id: string | null = null): LiveMessage => ({
  type: 'message',
  event,
  data: { type, object },
  id,
});
const synced = (events: LiveMessage[]): LiveState =>
  reduceAll(initialLiveState(), [
    { type: 'open' },
    msg('snapshot', 'BEGIN', {}),
    ...events,
    msg('snapshot', 'END', {}, '1'),
  ]);

const start = () =>
  synced([
    msg('rollout', 'ADDED', ro('a', 'one')),
    msg('rollout', 'ADDED', ro('a', 'two')),
    msg('rollout', 'ADDED', ro('b', 'three')),
    msg('replicaset', 'ADDED', rs('a', 'one', 1)),
    msg('replicaset', 'ADDED', rs('b', 'three', 1)),
  ]);

describe('overview rows kept from change to change', () => {
  it('are the rows the pure summaries give, in the stream order', () => {
    const st = start();
    expect(new SummaryRows().rows(st.objects)).toEqual(liveSummaries(st.objects, Date.now()));
  });

  it('a changed Rollout rebuilds its row only; the other rows stay the same objects', () => {
    const rows = new SummaryRows();
    const st = start();
    const before = rows.rows(st.objects);
    const next = reduceAll(st, [
      msg('rollout', 'MODIFIED', { ...ro('a', 'two'), status: { phase: 'Paused' } }),
    ]);
    const after = rows.rows(next.objects);
    expect(after).not.toBe(before);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]?.phase).toBe('Paused');
    expect(after[2]).toBe(before[2]);
    expect(after).toEqual(liveSummaries(next.objects, Date.now()));
  });

  it("a change in one namespace leaves the other namespace's rows alone, and rows it does not alter", () => {
    const rows = new SummaryRows();
    const st = start();
    const before = rows.rows(st.objects);
    // A ReplicaSet of namespace a scales: the row of a/one says so, a/two and b/three are the same objects.
    const scaled = reduceAll(st, [msg('replicaset', 'MODIFIED', rs('a', 'one', 3))]);
    const after = rows.rows(scaled.objects);
    expect(after).toEqual(liveSummaries(scaled.objects, Date.now()));
    expect(after[2]).toBe(before[2]);
    expect(after[1]).toBe(before[1]);
    // A ConfigMap or an Event is not read by any row: the very same array.
    const quiet = reduceAll(scaled, [
      msg('configmap', 'ADDED', {
        kind: 'ConfigMap',
        metadata: { name: 'x', namespace: 'a', resourceVersion: '900' },
      }),
      msg('event', 'ADDED', {
        kind: 'Event',
        metadata: { name: 'e', namespace: 'b', resourceVersion: '901' },
      }),
    ]);
    expect(rows.rows(quiet.objects)).toBe(after);
  });

  it('added and deleted Rollouts come and go; a context tags every row', () => {
    const rows = new SummaryRows('prod');
    const st = start();
    rows.rows(st.objects);
    const next = reduceAll(st, [
      msg('rollout', 'DELETED', ro('a', 'one')),
      msg('rollout', 'ADDED', ro('c', 'four')),
    ]);
    const after = rows.rows(next.objects);
    expect(after.map((r) => `${r.context}/${r.namespace}/${r.name}`)).toEqual([
      'prod/a/two',
      'prod/b/three',
      'prod/c/four',
    ]);
  });

  it('a summary does not read the clock (so the clock is not an input), though the view of a load does', () => {
    const rollout = ro('a', 'one');
    const job = {
      kind: 'Job',
      metadata: {
        name: 'load-1',
        namespace: 'a',
        labels: { 'app.kubernetes.io/managed-by': LOAD_MANAGED_BY, rollout: 'one' },
        annotations: { [LOAD_DURATION_ANNOTATION]: '600' },
      },
      status: { startTime: '2026-01-01T00:00:00Z', active: 1 },
    };
    const ctx = (now: number) => rolloutContext(rollout, (kind) => (kind === 'job' ? [job] : []), now);
    const early = Date.parse('2026-01-01T00:01:00Z');
    const late = Date.parse('2026-01-01T00:05:00Z');
    expect(rolloutView(rollout, ctx(early)).load?.elapsedSeconds).not.toBe(
      rolloutView(rollout, ctx(late)).load?.elapsedSeconds,
    );
    expect(rolloutSummary(rollout, ctx(early))).toEqual(rolloutSummary(rollout, ctx(late)));
  });

  it('always equals the pure summaries of the objects, over any sequence of watch events', () => {
    const event = fc.record({
      kind: fc.constantFrom('rollout', 'replicaset', 'configmap'),
      type: fc.constantFrom('ADDED', 'MODIFIED', 'DELETED'),
      ns: fc.constantFrom('a', 'b', 'c'),
      name: fc.constantFrom('one', 'two', 'three'),
      n: fc.nat(3),
    });
    fc.assert(
      fc.property(fc.array(fc.array(event, { maxLength: 4 }), { maxLength: 15 }), (batches) => {
        const rows = new SummaryRows();
        let st = start();
        rows.rows(st.objects);
        for (const batch of batches) {
          st = reduceAll(
            st,
            batch.map((e) =>
              msg(
                e.kind,
                e.type,
                e.kind === 'rollout'
                  ? ro(e.ns, e.name, e.n % 2 ? { status: { phase: e.n > 1 ? 'Paused' : 'Degraded' } } : {})
                  : e.kind === 'replicaset'
                    ? rs(e.ns, e.name, e.n)
                    : {
                        kind: 'ConfigMap',
                        metadata: { name: e.name, namespace: e.ns, resourceVersion: String(rv++) },
                      },
              ),
            ),
          );
          expect(rows.rows(st.objects)).toEqual(liveSummaries(st.objects, Date.now()));
        }
      }),
      { numRuns: 200 },
    );
  });
});
