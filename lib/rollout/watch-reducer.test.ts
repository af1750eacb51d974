import { describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-types';
import { applyWatchEvent } from './watch-reducer';

const obj = (
  name: string,
  rv: string,
  extra: Record<string, unknown> = {},
  uid = `uid-${name}`,
): KubeObject => ({
  metadata: { name, namespace: 'demo', resourceVersion: rv, uid },
  ...extra,
});

describe('applyWatchEvent', () => {
  it('adds new objects at the end, keeping the order of the others', () => {
    let list: KubeObject[] = [];
    list = applyWatchEvent(list, { type: 'ADDED', object: obj('a', '1') });
    list = applyWatchEvent(list, { type: 'ADDED', object: obj('b', '2') });
    list = applyWatchEvent(list, { type: 'ADDED', object: obj('c', '3') });
    list = applyWatchEvent(list, { type: 'MODIFIED', object: obj('a', '4', { v: 2 }) });
    expect(list.map((o) => o.metadata?.name)).toEqual(['a', 'b', 'c']);
    expect(list[0]).toMatchObject({ v: 2 });
  });

  it('drops an event older than what the list holds (stale resourceVersion)', () => {
    const list = [obj('a', '10', { v: 'new' })];
    const after = applyWatchEvent(list, { type: 'MODIFIED', object: obj('a', '9', { v: 'old' }) });
    expect(after).toBe(list);
    expect(applyWatchEvent(list, { type: 'DELETED', object: obj('a', '9') })).toBe(list);
    // numeric comparison, not string: "10" > "9"
    expect(
      applyWatchEvent(list, { type: 'MODIFIED', object: obj('a', '11', { v: 'newer' }) })[0],
    ).toMatchObject({
      v: 'newer',
    });
  });

  it('returns the same list for a repeated resourceVersion (no re-render)', () => {
    const list = [obj('a', '5')];
    expect(applyWatchEvent(list, { type: 'MODIFIED', object: obj('a', '5') })).toBe(list);
  });

  it('removes on DELETED, and ignores a delete of an unknown object or another incarnation', () => {
    const list = [obj('a', '1'), obj('b', '2')];
    expect(
      applyWatchEvent(list, { type: 'DELETED', object: obj('a', '3') }).map((o) => o.metadata?.name),
    ).toEqual(['b']);
    expect(applyWatchEvent(list, { type: 'DELETED', object: obj('zz', '3') })).toBe(list);
    expect(applyWatchEvent(list, { type: 'DELETED', object: obj('a', '3', {}, 'other-uid') })).toBe(list);
  });

  it('tells objects of the same name in different namespaces apart', () => {
    const a1 = { metadata: { name: 'a', namespace: 'x', resourceVersion: '1' } };
    const a2 = { metadata: { name: 'a', namespace: 'y', resourceVersion: '2' } };
    const list = applyWatchEvent(applyWatchEvent([], { type: 'ADDED', object: a1 }), {
      type: 'ADDED',
      object: a2,
    });
    expect(list).toHaveLength(2);
  });

  it('does not mutate its input', () => {
    const list = Object.freeze([obj('a', '1')]);
    const next = applyWatchEvent(list, { type: 'MODIFIED', object: obj('a', '2') });
    expect(list[0]?.metadata?.resourceVersion).toBe('1');
    expect(next[0]?.metadata?.resourceVersion).toBe('2');
  });
});
