import { describe, expect, it } from 'vitest';
import { requestAttributes } from './request-info';

/** Cases from the API server's own requestinfo_test.go (TestGetAPIRequestInfo, TestFieldSelectorParsing). */
const attrs = (method: string, url: string) => {
  const u = new URL(url, 'https://lab.invalid');
  return requestAttributes(method, u.pathname, u.searchParams);
};

describe('request attributes (RequestInfoFactory)', () => {
  // method, url, verb, group, version, namespace, resource, subresource, name
  const cases: Array<[string, string, string, string, string, string, string, string, string]> = [
    ['GET', '/api/v1/namespaces', 'list', '', 'v1', '', 'namespaces', '', ''],
    ['GET', '/api/v1/namespaces/other', 'get', '', 'v1', 'other', 'namespaces', '', 'other'],
    ['GET', '/api/v1/namespaces/other/pods', 'list', '', 'v1', 'other', 'pods', '', ''],
    ['GET', '/api/v1/namespaces/other/pods/foo', 'get', '', 'v1', 'other', 'pods', '', 'foo'],
    ['HEAD', '/api/v1/namespaces/other/pods/foo', 'get', '', 'v1', 'other', 'pods', '', 'foo'],
    ['GET', '/api/v1/pods', 'list', '', 'v1', '', 'pods', '', ''],
    ['HEAD', '/api/v1/pods', 'list', '', 'v1', '', 'pods', '', ''],
    ['PATCH', '/api/v1/namespaces/new-namespace', 'patch', '', 'v1', '', 'namespaces', '', 'new-namespace'],
    ['GET', '/api/v1/proxy/namespaces/other/pods/foo', 'proxy', '', 'v1', 'other', 'pods', '', 'foo'],
    [
      'GET',
      '/api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource',
      'proxy',
      '',
      'v1',
      'other',
      'pods',
      '',
      'foo',
    ],
    ['GET', '/api/v1/watch/pods', 'watch', '', 'v1', '', 'pods', '', ''],
    ['GET', '/api/v1/pods?watch=true', 'watch', '', 'v1', '', 'pods', '', ''],
    ['GET', '/api/v1/pods?watch=false', 'list', '', 'v1', '', 'pods', '', ''],
    ['GET', '/api/v1/watch/namespaces/other/pods', 'watch', '', 'v1', 'other', 'pods', '', ''],
    ['GET', '/api/v1/namespaces/other/pods?watch=1', 'watch', '', 'v1', 'other', 'pods', '', ''],
    ['GET', '/api/v1/namespaces/other/pods?watch=0', 'list', '', 'v1', 'other', 'pods', '', ''],
    ['GET', '/api/v1/namespaces/other/pods/foo/status', 'get', '', 'v1', 'other', 'pods', 'status', 'foo'],
    [
      'GET',
      '/api/v1/namespaces/other/pods/foo/proxy/subpath',
      'get',
      '',
      'v1',
      'other',
      'pods',
      'proxy',
      'foo',
    ],
    [
      'PUT',
      '/api/v1/namespaces/other/finalize',
      'update',
      '',
      'v1',
      'other',
      'namespaces',
      'finalize',
      'other',
    ],
    ['PUT', '/api/v1/namespaces/other/status', 'update', '', 'v1', 'other', 'namespaces', 'status', 'other'],
    ['PATCH', '/api/v1/namespaces/other/pods/foo', 'patch', '', 'v1', 'other', 'pods', '', 'foo'],
    ['DELETE', '/api/v1/namespaces/other/pods/foo', 'delete', '', 'v1', 'other', 'pods', '', 'foo'],
    ['POST', '/api/v1/namespaces/other/pods', 'create', '', 'v1', 'other', 'pods', '', ''],
    ['DELETE', '/api/v1/nodes', 'deletecollection', '', 'v1', '', 'nodes', '', ''],
    ['DELETE', '/api/v1/namespaces', 'deletecollection', '', 'v1', '', 'namespaces', '', ''],
    ['DELETE', '/api/v1/namespaces/other/pods', 'deletecollection', '', 'v1', 'other', 'pods', '', ''],
    [
      'DELETE',
      '/apis/extensions/v1/namespaces/other/pods',
      'deletecollection',
      'extensions',
      'v1',
      'other',
      'pods',
      '',
      '',
    ],
    [
      'POST',
      '/apis/extensions/v1/namespaces/other/pods',
      'create',
      'extensions',
      'v1',
      'other',
      'pods',
      '',
      '',
    ],
    [
      'POST',
      '/apis/extensions/v1beta3/namespaces/other/pods',
      'create',
      'extensions',
      'v1beta3',
      'other',
      'pods',
      '',
      '',
    ],
    // What the control center sends.
    [
      'PATCH',
      '/apis/argoproj.io/v1alpha1/namespaces/demo/rollouts/webapp/status',
      'patch',
      'argoproj.io',
      'v1alpha1',
      'demo',
      'rollouts',
      'status',
      'webapp',
    ],
    [
      'POST',
      '/api/v1/namespaces/cc/serviceaccounts/cc/token',
      'create',
      '',
      'v1',
      'cc',
      'serviceaccounts',
      'token',
      'cc',
    ],
    ['GET', '/api/v1/namespaces/demo/pods/p/log?follow=true', 'get', '', 'v1', 'demo', 'pods', 'log', 'p'],
  ];
  it.each(cases)(
    '%s %s',
    (method, url, verb, apiGroup, apiVersion, namespace, resource, subresource, name) => {
      expect(attrs(method, url)).toEqual({
        resourceRequest: true,
        verb,
        apiGroup,
        apiVersion,
        namespace,
        resource,
        subresource,
        name,
      });
    },
  );

  it('names the object of a list or watch pinned by an exact metadata.name field selector', () => {
    const name = (url: string) => {
      const a = attrs('GET', url);
      return a.resourceRequest ? [a.verb, a.name] : [];
    };
    expect(name('/apis/group/version/resource')).toEqual(['list', '']);
    expect(name('/apis/group/version/resource?fieldSelector=metadata.name=name1')).toEqual(['list', 'name1']);
    expect(name('/apis/group/version/resource?watch=true&fieldSelector=metadata.name=name1')).toEqual([
      'watch',
      'name1',
    ]);
    expect(name('/apis/group/version/resource?fieldSelector=foo=bar')).toEqual(['list', '']);
    expect(name('/apis/group/version/resource?fieldSelector=metadata.name=name1,foo')).toEqual(['list', '']);
    expect(name('/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=true')).toEqual([
      'watch',
      '',
    ]);
    expect(name('/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=false')).toEqual([
      'list',
      '',
    ]);
    expect(name('/apis/group/version/resource?fieldSelector=metadata.name!=name1')).toEqual(['list', '']);
  });

  it('everything else is a non-resource request whose verb is the method', () => {
    for (const url of [
      '/',
      '',
      '/api',
      '/api/version',
      '/api/version/',
      '/apis/group/version/',
      '/apis/extensions/v1beta1',
      '/badprefix/version/resource',
      '/apis/version/resource',
      '/not-api/version/resource',
      '/version',
      '/openapi/v3',
    ])
      expect(attrs('GET', url), url).toEqual({ resourceRequest: false, verb: 'get', path: url || '/' });
    expect(attrs('POST', '/healthz')).toEqual({ resourceRequest: false, verb: 'post', path: '/healthz' });
    for (const url of [
      '/api/version/resource',
      '/apis/group/version/resource/name/subresource',
      '/apis/batch/v1/job/foo/scale',
    ])
      expect(attrs('GET', url).resourceRequest, url).toBe(true);
  });
});
