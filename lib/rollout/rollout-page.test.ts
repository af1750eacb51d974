import { describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-types';
import type { LoadProgress } from './load-progress';
import type { ListInNamespace } from './rollout-context';
import { applyPagePatch, diffPage, loadAt, RECENT_ENTRIES, rolloutPage } from './rollout-page';
import { loadFixtures } from './testdata/load-fixtures';
import type { WatchedKind } from './watched-kinds';

const fixtures = loadFixtures();
const fixture = (file: string) => {
  const f = fixtures.find((x) => x.file === file);
  if (!f) throw new Error(`fixture ${file} missing`);
  return f;
};

function lister(f: ReturnType<typeof fixture>, extra: Partial<Record<WatchedKind, KubeObject[]>> = {}) {
  const byKind: Partial<Record<WatchedKind, readonly KubeObject[]>> = {
    replicaset: f.ctx.replicaSets,
    analysisrun: f.ctx.analysisRuns,
    pod: f.ctx.pods,
    virtualservice: f.ctx.virtualService ? [f.ctx.virtualService] : [],
    ...extra,
  };
  const list: ListInNamespace = (kind, ns) =>
    (byKind[kind] ?? []).filter((o) => (o.metadata?.namespace ?? 'demo') === ns);
  return list;
}

const event = (name: string, involved: string, message: string, at: string): KubeObject => ({
  metadata: { name, namespace: 'demo' },
  involvedObject: { kind: 'Rollout', name: involved, namespace: 'demo' },
  reason: 'RolloutUpdated',
  message,
  lastTimestamp: at,
});

describe('rolloutPage', () => {
  it('holds the view, the events about the rollout, the faults and the runs version', () => {
    const f = fixture('analysis-running.yaml');
    const faults = {
      metadata: { name: 'webapp-faults', namespace: 'demo' },
      data: { 'faults.json': '{"v1.1":{"errorRate":0.2}}' },
    };
    const page = rolloutPage(
      f.rollout,
      lister(f, {
        event: [
          event('e1', 'webapp', 'step 1', '2026-01-01T00:00:01Z'),
          event('e2', 'other', 'not ours', '2026-01-01T00:00:02Z'),
          event('e3', 'webapp-h2', 'scaled', '2026-01-01T00:00:03Z'),
        ],
        configmap: [faults],
      }),
      'demo',
      'webapp',
    );
    expect(page.view?.name).toBe('webapp');
    expect(page.view?.step).toEqual({ index: 3, total: 7 });
    expect(page.events.map((e) => e.message)).toEqual(['scaled', 'step 1']);
    expect(page.faults).toEqual({ 'v1.1': { errorRate: 0.2 } });
    // Only the rollout's own runs (the fixture also holds a run of another rollout).
    expect(f.ctx.analysisRuns.length).toBe(2);
    expect(page.runsVersion.split(',').length).toBe(1);
    expect(rolloutPage(undefined, lister(f), 'demo', 'webapp').view).toBeNull();
  });
});

describe('diffPage / applyPagePatch', () => {
  const f = fixture('analysis-running.yaml');
  const before = rolloutPage(f.rollout, lister(f), 'demo', 'webapp');

  it('is null when nothing changed, so the change is not sent', () => {
    expect(diffPage(before, rolloutPage(f.rollout, lister(f), 'demo', 'webapp'))).toBeNull();
  });

  it('carries only the changed view fields, and applying it gives the new page', () => {
    const ro = {
      ...f.rollout,
      metadata: { ...f.rollout.metadata, resourceVersion: '999' },
      status: { ...f.rollout.status, message: 'waiting for analysis' },
    };
    const after = rolloutPage(ro, lister(f), 'demo', 'webapp');
    const patch = diffPage(before, after);
    expect(Object.keys(patch?.view ?? {}).sort()).toEqual(
      Object.keys(after.view ?? {})
        .filter(
          (k) => JSON.stringify(after.view?.[k as 'name']) !== JSON.stringify(before.view?.[k as 'name']),
        )
        .sort(),
    );
    expect(patch?.view).toMatchObject({ resourceVersion: '999' });
    expect(patch?.events).toBeUndefined();
    const applied = applyPagePatch(before, patch ?? {});
    expect(applied).toEqual(after);
    // Untouched parts keep their identity.
    expect(applied.events).toBe(before.events);
    expect(applied.view?.steps).toBe(before.view?.steps);
  });

  it('sends a gone view as null and a view that appears whole', () => {
    const gone = rolloutPage(undefined, lister(f), 'demo', 'webapp');
    expect(diffPage(before, gone)).toEqual({ view: null });
    const back = diffPage(gone, before);
    expect(back?.view).toEqual(before.view);
    expect(applyPagePatch(gone, back ?? {})).toEqual(before);
  });

  it('puts added timeline entries on top of the recent ones, keeping the newest RECENT_ENTRIES', () => {
    const entry = (i: number) => ({
      key: `k${i}`,
      at: new Date(Date.UTC(2026, 11, 5, 0, 0, i)).toISOString(),
      namespace: 'demo',
      rollout: 'webapp',
      kind: 'phase' as const,
      source: 'controller' as const,
      summary: `entry ${i}`,
    });
    const full = {
      ...before,
      recent: Array.from({ length: RECENT_ENTRIES }, (_, i) => entry(RECENT_ENTRIES - i)),
    };
    const next = applyPagePatch(full, { added: [entry(RECENT_ENTRIES + 2), entry(RECENT_ENTRIES + 1)] });
    expect(next.recent).toHaveLength(RECENT_ENTRIES);
    expect(next.recent.slice(0, 3).map((e) => e.key)).toEqual([
      `k${RECENT_ENTRIES + 2}`,
      `k${RECENT_ENTRIES + 1}`,
      `k${RECENT_ENTRIES}`,
    ]);
    expect(next.recent[2]).toBe(full.recent[0]);
    expect(next.recent.at(-1)?.key).toBe('k3');
    // No entry added: the list is the same object (the timeline does not render again).
    expect(applyPagePatch(full, { runsVersion: 'x' }).recent).toBe(full.recent);
  });

  it('keeps each key once (an Event modified without a new count derives its entry again); a page without `recent` (an older server) takes the added ones', () => {
    const e = (key: string, summary: string) => ({
      key,
      at: '2026-12-05T00:00:00.000Z',
      namespace: 'demo',
      rollout: 'webapp',
      kind: 'event' as const,
      source: 'kubernetes' as const,
      summary,
    });
    const page = { ...before, recent: [e('a', 'a1'), e('b', 'b1')] };
    expect(
      applyPagePatch(page, { added: [e('b', 'b2'), e('c', 'c1'), e('c', 'c1 again')] }).recent.map(
        (x) => x.summary,
      ),
    ).toEqual(['b2', 'c1', 'a1']);
    const older = { ...before } as Partial<typeof before>;
    delete older.recent;
    expect(applyPagePatch(older as typeof before, { added: [e('a', 'a1')] }).recent).toHaveLength(1);
  });
});

describe('loadAt', () => {
  const running: LoadProgress = {
    job: 'load-1',
    rps: 10,
    durationSeconds: 100,
    state: 'running',
    startedAt: '2026-01-01T00:00:00Z',
    elapsedSeconds: 0,
    fraction: 0,
  };
  it('counts a running load on the reader clock and leaves finished ones alone', () => {
    const now = Date.parse('2026-01-01T00:00:25Z');
    expect(loadAt(running, now)).toMatchObject({ elapsedSeconds: 25, fraction: 0.25 });
    const done = { ...running, state: 'succeeded' as const, elapsedSeconds: 90, fraction: 1 };
    expect(loadAt(done, now)).toBe(done);
    expect(loadAt(null, now)).toBeNull();
  });
});
