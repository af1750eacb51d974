import { describe, expect, it } from 'vitest';
import { ruleAllows } from './rules';
import type { Attributes, PolicyRule } from './types';

/** TestRuleMatches of Kubernetes' plugin/pkg/auth/authorizer/rbac/rbac_test.go, plus resource names and `*`-subresources. */
const res = (verb: string, apiGroup: string, resource: string, subresource = '', name = ''): Attributes => ({
  resourceRequest: true,
  verb,
  apiGroup,
  apiVersion: '',
  resource,
  subresource,
  namespace: '',
  name,
});
const url = (verb: string, path: string): Attributes => ({ resourceRequest: false, verb, path });
const rule = (
  verbs: string[],
  apiGroups: string[],
  resources: string[],
  extra: Partial<PolicyRule> = {},
) => ({
  verbs,
  apiGroups,
  resources,
  ...extra,
});

const cases: Array<{ name: string; rule: PolicyRule; expect: Array<[Attributes, boolean]> }> = [
  {
    name: 'star verb, exact match other',
    rule: rule(['*'], ['group1'], ['resource1']),
    expect: [
      [res('verb1', 'group1', 'resource1'), true],
      [res('verb1', 'group2', 'resource1'), false],
      [res('verb1', 'group1', 'resource2'), false],
      [res('verb1', 'group2', 'resource2'), false],
      [res('verb2', 'group1', 'resource1'), true],
      [res('verb2', 'group2', 'resource1'), false],
      [res('verb2', 'group1', 'resource2'), false],
      [res('verb2', 'group2', 'resource2'), false],
    ],
  },
  {
    name: 'star group, exact match other',
    rule: rule(['verb1'], ['*'], ['resource1']),
    expect: [
      [res('verb1', 'group1', 'resource1'), true],
      [res('verb1', 'group2', 'resource1'), true],
      [res('verb1', 'group1', 'resource2'), false],
      [res('verb1', 'group2', 'resource2'), false],
      [res('verb2', 'group1', 'resource1'), false],
      [res('verb2', 'group2', 'resource1'), false],
      [res('verb2', 'group1', 'resource2'), false],
      [res('verb2', 'group2', 'resource2'), false],
    ],
  },
  {
    name: 'star resource, exact match other',
    rule: rule(['verb1'], ['group1'], ['*']),
    expect: [
      [res('verb1', 'group1', 'resource1'), true],
      [res('verb1', 'group2', 'resource1'), false],
      [res('verb1', 'group1', 'resource2'), true],
      [res('verb1', 'group2', 'resource2'), false],
      [res('verb2', 'group1', 'resource1'), false],
      [res('verb2', 'group2', 'resource1'), false],
      [res('verb2', 'group1', 'resource2'), false],
      [res('verb2', 'group2', 'resource2'), false],
    ],
  },
  {
    name: 'tuple expansion',
    rule: rule(['verb1', 'verb2'], ['group1', 'group2'], ['resource1', 'resource2']),
    expect: [
      [res('verb1', 'group1', 'resource1'), true],
      [res('verb1', 'group2', 'resource1'), true],
      [res('verb1', 'group1', 'resource2'), true],
      [res('verb1', 'group2', 'resource2'), true],
      [res('verb2', 'group1', 'resource1'), true],
      [res('verb2', 'group2', 'resource1'), true],
      [res('verb2', 'group1', 'resource2'), true],
      [res('verb2', 'group2', 'resource2'), true],
    ],
  },
  {
    name: 'subresource expansion',
    rule: rule(['*'], ['*'], ['resource1/subresource1']),
    expect: [
      [res('verb1', 'group1', 'resource1', 'subresource1'), true],
      [res('verb1', 'group2', 'resource1', 'subresource2'), false],
      [res('verb1', 'group1', 'resource2', 'subresource1'), false],
      [res('verb1', 'group2', 'resource2', 'subresource1'), false],
      [res('verb2', 'group1', 'resource1', 'subresource1'), true],
      [res('verb2', 'group2', 'resource1', 'subresource2'), false],
      [res('verb2', 'group1', 'resource2', 'subresource1'), false],
      [res('verb2', 'group2', 'resource2', 'subresource1'), false],
    ],
  },
  {
    name: 'star nonresource, exact match other',
    rule: { verbs: ['verb1'], nonResourceURLs: ['*'] },
    expect: [
      [url('verb1', '/foo'), true],
      [url('verb1', '/foo/bar'), true],
      [url('verb1', '/foo/baz'), true],
      [url('verb1', '/foo/bar/one'), true],
      [url('verb1', '/foo/baz/one'), true],
      [url('verb2', '/foo'), false],
      [url('verb2', '/foo/bar'), false],
      [url('verb2', '/foo/baz'), false],
      [url('verb2', '/foo/bar/one'), false],
      [url('verb2', '/foo/baz/one'), false],
    ],
  },
  {
    name: 'star nonresource subpath',
    rule: { verbs: ['verb1'], nonResourceURLs: ['/foo/*'] },
    expect: [
      [url('verb1', '/foo'), false],
      [url('verb1', '/foo/bar'), true],
      [url('verb1', '/foo/baz'), true],
      [url('verb1', '/foo/bar/one'), true],
      [url('verb1', '/foo/baz/one'), true],
      [url('verb1', '/notfoo'), false],
      [url('verb1', '/notfoo/bar'), false],
      [url('verb1', '/notfoo/baz'), false],
      [url('verb1', '/notfoo/bar/one'), false],
      [url('verb1', '/notfoo/baz/one'), false],
    ],
  },
  {
    name: 'star verb, exact nonresource',
    rule: { verbs: ['*'], nonResourceURLs: ['/foo', '/foo/bar/one'] },
    expect: [
      [url('verb1', '/foo'), true],
      [url('verb1', '/foo/bar'), false],
      [url('verb1', '/foo/baz'), false],
      [url('verb1', '/foo/bar/one'), true],
      [url('verb1', '/foo/baz/one'), false],
      [url('verb2', '/foo'), true],
      [url('verb2', '/foo/bar'), false],
      [url('verb2', '/foo/baz'), false],
      [url('verb2', '/foo/bar/one'), true],
      [url('verb2', '/foo/baz/one'), false],
    ],
  },
  {
    name: 'star subresource: */status matches the status of every resource, not the resource itself',
    rule: rule(['patch'], ['argoproj.io'], ['*/status']),
    expect: [
      [res('patch', 'argoproj.io', 'rollouts', 'status'), true],
      [res('patch', 'argoproj.io', 'analysisruns', 'status'), true],
      [res('patch', 'argoproj.io', 'rollouts'), false],
      [res('patch', 'argoproj.io', 'rollouts', 'scale'), false],
      [res('patch', 'argoproj.io', 'rollouts', 'xstatus'), false],
    ],
  },
  {
    name: 'a resource does not cover its subresources (pods vs pods/log)',
    rule: rule(['get', 'list'], [''], ['pods']),
    expect: [
      [res('get', '', 'pods', '', 'p'), true],
      [res('get', '', 'pods', 'log', 'p'), false],
      [res('get', '', 'Pods', '', 'p'), false],
      [res('GET', '', 'pods', '', 'p'), false],
    ],
  },
  {
    name: 'resource names limit to those objects (and a list without a name is not covered)',
    rule: rule(['get', 'list', 'patch', 'create'], [''], ['configmaps'], {
      resourceNames: ['webapp-faults'],
    }),
    expect: [
      [res('get', '', 'configmaps', '', 'webapp-faults'), true],
      [res('list', '', 'configmaps', '', 'webapp-faults'), true],
      [res('patch', '', 'configmaps', '', 'other'), false],
      [res('list', '', 'configmaps'), false],
      [res('create', '', 'configmaps'), false],
    ],
  },
  {
    name: 'a resource rule never matches a URL, nor a URL rule a resource',
    rule: { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    expect: [
      [url('get', '/healthz'), false],
      [res('get', 'apps', 'deployments', 'scale', 'd'), true],
    ],
  },
];

describe('RBAC rule matching', () => {
  it.each(cases)('$name', ({ rule: r, expect: want }) => {
    for (const [a, allowed] of want) expect(ruleAllows(a, r), JSON.stringify(a)).toBe(allowed);
  });
});
