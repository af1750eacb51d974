import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@/lib/rollout/kube-types';
import { KIND_SPECS } from './kinds';
import { ObjectCache } from './object-cache';

const obj = (ns: string, name: string, rv = '1', annotations?: Record<string, string>): KubeObject => ({
  metadata: { namespace: ns, name, resourceVersion: rv, ...(annotations ? { annotations } : {}) },
});
const names = (xs: readonly KubeObject[]) =>
  xs.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`).sort();

describe('ObjectCache', () => {
  it('lists one namespace from its index through adds, moves of resourceVersion, deletes and relists', () => {
    const c = new ObjectCache(KIND_SPECS.rollout);
    c.replace([obj('a', 'x'), obj('a', 'y'), obj('b', 'z')]);
    expect(names(c.list('a'))).toEqual(['a/x', 'a/y']);
    c.apply('ADDED', obj('b', 'w'));
    c.apply('MODIFIED', obj('a', 'x', '2'));
    c.apply('DELETED', obj('a', 'y'));
    expect(names(c.list('a'))).toEqual(['a/x']);
    expect(c.list('a')[0]?.metadata?.resourceVersion).toBe('2');
    expect(names(c.list('b'))).toEqual(['b/w', 'b/z']);
    expect(c.list('nowhere')).toEqual([]);
    c.replace([obj('c', 'v')]);
    expect(c.list('a')).toEqual([]);
    expect(names(c.list())).toEqual(['c/v']);
  });

  it('agrees with a filter of the whole list for any sequence of events', () => {
    const event = fc.record({
      type: fc.constantFrom('ADDED', 'MODIFIED', 'DELETED') as fc.Arbitrary<'ADDED' | 'MODIFIED' | 'DELETED'>,
      ns: fc.constantFrom('a', 'b', 'c'),
      name: fc.constantFrom('p', 'q', 'r', 's'),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        const c = new ObjectCache(KIND_SPECS.pod);
        for (const e of events) c.apply(e.type, obj(e.ns, e.name));
        for (const ns of ['a', 'b', 'c'])
          expect(names(c.list(ns))).toEqual(names(c.list().filter((o) => o.metadata?.namespace === ns)));
      }),
    );
  });

  it('keeps no copy of client-side apply’s last-applied-configuration, and keeps the other annotations', () => {
    const c = new ObjectCache(KIND_SPECS.rollout);
    const last = 'kubectl.kubernetes.io/last-applied-configuration';
    c.apply('ADDED', obj('a', 'x', '1', { [last]: '{"big":"copy"}', team: 'payments' }));
    c.apply('ADDED', obj('a', 'y', '1', { [last]: '{}' }));
    expect(c.get('a', 'x')?.metadata?.annotations).toEqual({ team: 'payments' });
    expect(c.get('a', 'y')?.metadata?.annotations).toBeUndefined();
  });
});
