import { groupVersion, RESOURCES } from '../store/resources';
import type { ResourceType } from '../store/types';

export const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** `/version`: kubectl's wrapper picks its bundled client from major/minor; gitVersion must parse. */
export function versionInfo(): Record<string, string> {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-12-11T00:00:00Z',
    goVersion: 'go1.23.3',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** Groups other than core, in registry order, with their versions (the first is preferred). */
export function groups(): Array<{ name: string; versions: string[] }> {
  const out: Array<{ name: string; versions: string[] }> = [];
  for (const r of RESOURCES) {
    if (r.group === '') continue;
    const g = out.find((x) => x.name === r.group);
    if (!g) out.push({ name: r.group, versions: [...r.versions] });
    else for (const v of r.versions) if (!g.versions.includes(v)) g.versions.push(v);
  }
  return out;
}

function apiGroupDoc(g: { name: string; versions: string[] }): Record<string, unknown> {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

export function apiGroupList(): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups().map(apiGroupDoc) };
}

export function apiGroup(name: string): Record<string, unknown> | undefined {
  const g = groups().find((x) => x.name === name);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroupDoc(g) } : undefined;
}

export function kindsIn(group: string, version: string): ResourceType[] {
  return RESOURCES.filter((r) => r.group === group && r.versions.includes(version));
}

export function apiResourceList(group: string, version: string): Record<string, unknown> {
  const resources: Array<Record<string, unknown>> = [];
  for (const r of kindsIn(group, version)) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.createOnly ? ['create'] : VERBS,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories?.length ? { categories: r.categories } : {}),
    });
    for (const sub of r.subresources) {
      if (sub === 'token') {
        resources.push({
          name: `${r.plural}/token`,
          singularName: '',
          namespaced: true,
          group: 'authentication.k8s.io',
          version: 'v1',
          kind: 'TokenRequest',
          verbs: ['create'],
        });
        continue;
      }
      resources.push({
        name: `${r.plural}/${sub}`,
        singularName: '',
        namespaced: r.namespaced,
        kind: sub === 'log' ? 'Pod' : r.kind,
        verbs: sub === 'log' ? ['get'] : ['get', 'patch', 'update'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(kindsIn(group, version)[0] ?? (RESOURCES[0] as ResourceType), version),
    resources,
  };
}
