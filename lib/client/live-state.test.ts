import { describe, expect, it } from 'vitest';
import { initialLiveState, type LiveMessage, reduceAll } from './live-state';

const ro = (name: string, rv: number, phase = 'Healthy') => ({
  kind: 'Rollout',
  metadata: { name, namespace: 'demo', resourceVersion: String(rv), uid: `uid-${name}` },
  status: { phase },
});
const msg = (event: string, type: string, object: unknown, id?: string): LiveMessage => ({
  type: 'message',
  event,
  data: { type, object },
  id: id ?? null,
});
const snapshot = (...objects: LiveMessage[]): LiveMessage[] => [
  msg('snapshot', 'BEGIN', { resumed: false }),
  ...objects,
  msg('snapshot', 'END', { count: objects.length }, '100'),
];

describe('liveReducer', () => {
  it('shows a snapshot only once it is complete, then applies watch events', () => {
    const half = reduceAll(initialLiveState(), snapshot(msg('rollout', 'ADDED', ro('a', 1))).slice(0, 2));
    expect(half.synced).toBe(false);
    expect(half.objects.rollout).toEqual([]);
    const s = reduceAll(half, [msg('snapshot', 'END', { count: 1 }, '100')]);
    expect(s.synced).toBe(true);
    expect(s.lastEventId).toBe('100');
    expect(s.objects.rollout.map((o) => o.metadata?.name)).toEqual(['a']);
    const next = reduceAll(s, [msg('rollout', 'MODIFIED', ro('a', 2, 'Progressing'), '101')]);
    expect((next.objects.rollout[0] as { status: { phase: string } }).status.phase).toBe('Progressing');
    expect(next.lastEventId).toBe('101');
  });

  it('drops events older than what it holds (stale resourceVersion)', () => {
    const s = reduceAll(initialLiveState(), [
      ...snapshot(msg('rollout', 'ADDED', ro('a', 5, 'Paused'))),
      msg('rollout', 'MODIFIED', ro('a', 4, 'Healthy')),
    ]);
    expect((s.objects.rollout[0] as { status: { phase: string } }).status.phase).toBe('Paused');
  });

  it('a new snapshot replaces everything (objects deleted while disconnected disappear)', () => {
    const first = reduceAll(
      initialLiveState(),
      snapshot(msg('rollout', 'ADDED', ro('a', 1)), msg('rollout', 'ADDED', ro('b', 1))),
    );
    const second = reduceAll(first, snapshot(msg('rollout', 'ADDED', ro('b', 3))));
    expect(second.objects.rollout.map((o) => o.metadata?.name)).toEqual(['b']);
  });

  it('removes deleted objects and ignores unknown kinds and malformed data', () => {
    const s = reduceAll(initialLiveState(), [
      ...snapshot(msg('rollout', 'ADDED', ro('a', 1))),
      msg('rollout', 'DELETED', ro('a', 2)),
      msg('widget', 'ADDED', ro('w', 1)),
      { type: 'message', event: 'rollout', data: 'nonsense' },
      msg('rollout', 'EXPLODED', ro('x', 1)),
    ]);
    expect(s.objects.rollout).toEqual([]);
  });

  it('tracks the connection and the Kubernetes connectivity from status events', () => {
    let s = reduceAll(initialLiveState(), [{ type: 'open' }]);
    expect(s.connection).toBe('live');
    s = reduceAll(s, [
      msg('status', 'STATUS', {
        kind: 'Connectivity',
        connected: false,
        synced: true,
        lastError: 'ECONNREFUSED',
      }),
    ]);
    expect(s.kube).toEqual({ connected: false, synced: true, lastError: 'ECONNREFUSED' });
    s = reduceAll(s, [{ type: 'error' }]);
    expect(s.connection).toBe('offline');
  });

  it('returns the same state when nothing changes (no re-render)', () => {
    const s = reduceAll(initialLiveState(), snapshot(msg('rollout', 'ADDED', ro('a', 1))));
    expect(reduceAll(s, [msg('rollout', 'MODIFIED', ro('a', 1))])).toBe(s);
  });
});
