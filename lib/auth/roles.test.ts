import { describe, expect, it } from 'vitest';
import { type Access, canAct, canAudit, canRead, describeScopes, mergeScopes } from './roles';

const who = (role: Access['role'], scopes: Access['scopes']): Access => ({
  name: 'u',
  role,
  scopes,
  defaultContext: 'kind-a',
});
const opA = who('operator', [{ context: 'kind-a', namespaces: ['demo'] }]);
const opEvery = who('operator', [{ context: '*', namespaces: ['demo'] }]);
const opMixed = who('operator', [
  { context: 'kind-a', namespaces: '*' },
  { context: 'kind-b', namespaces: ['shop'] },
]);

describe('canAct: per kube context and namespace', () => {
  const cases: Array<[string, Access | null, string, string, string, true | RegExp]> = [
    ['anonymous', null, 'promote', 'kind-a', 'demo', /^sign in first$/],
    ['no role', who(null, []), 'promote', 'kind-a', 'demo', /u has no role/],
    ['viewer', who('viewer', []), 'promote', 'kind-a', 'demo', /your role \(viewer\) is read-only/],
    ['operator, its context and namespace', opA, 'promote', 'kind-a', 'demo', true],
    [
      'operator, same namespace on another context',
      opA,
      'abort',
      'kind-b',
      'demo',
      /^your role \(operator\) may act only in demo on context kind-a \(not in demo on context kind-b\)$/,
    ],
    ['operator, another namespace', opA, 'promote', 'kind-a', 'shop', /only in demo on context kind-a/],
    ['operator on every context', opEvery, 'promote', 'kind-z', 'demo', true],
    [
      'operator on every context, other namespace',
      opEvery,
      'promote',
      'kind-z',
      'shop',
      /demo on every context/,
    ],
    ['mixed scopes: all of kind-a', opMixed, 'undo', 'kind-a', 'anything', true],
    ['mixed scopes: shop on kind-b', opMixed, 'undo', 'kind-b', 'shop', true],
    [
      'mixed scopes: demo on kind-b',
      opMixed,
      'undo',
      'kind-b',
      'demo',
      /only in every namespace on context kind-a; shop on context kind-b/,
    ],
    ['operator with no scope', who('operator', []), 'promote', 'kind-a', 'demo', /only in no namespace/],
    ['admin anywhere', who('admin', []), 'promote', 'kind-z', 'any', true],
  ];
  it.each(cases)('%s', (_, access, action, context, namespace, want) => {
    const d = canAct(access, action, context, namespace);
    if (want === true) expect(d).toEqual({ ok: true });
    else {
      expect(d.ok).toBe(false);
      expect(d.ok ? '' : d.reason).toMatch(want);
    }
  });
});

describe('scopes', () => {
  it('merge per context, a wildcard namespace swallowing the list', () => {
    expect(
      mergeScopes([
        { context: 'a', namespaces: ['demo'] },
        { context: 'b', namespaces: ['shop'] },
        { context: 'a', namespaces: ['pay', 'demo'] },
        { context: 'b', namespaces: ['*'] },
        { context: '*', namespaces: ['ops'] },
      ]),
    ).toEqual([
      { context: 'a', namespaces: ['demo', 'pay'] },
      { context: 'b', namespaces: '*' },
      { context: '*', namespaces: ['ops'] },
    ]);
  });
  it('describe themselves with their contexts', () => {
    expect(describeScopes([])).toBe('no namespace');
    expect(describeScopes([{ context: '*', namespaces: '*' }])).toBe('every namespace on every context');
  });
  it('do not change reading or the audit log', () => {
    expect(canRead(opA)).toEqual({ ok: true });
    expect(canAudit(opA).ok).toBe(false);
    expect(canAudit(who('admin', [])).ok).toBe(true);
  });
});
