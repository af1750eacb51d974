import { createHash } from 'node:crypto';
import type { ResourceType } from '../store/types';
import { groups, kindsIn } from './discovery';

/**
 * OpenAPI v3 just rich enough for kubectl: per kind a PATCH operation carrying `x-kubernetes-group-version-kind` and a
 * `fieldValidation` parameter (so kubectl leaves validation to the server) and loose schemas. The PATCH body does not
 * list strategic merge, so kubectl computes strategic patches for built-in kinds from its compiled-in types.
 */
export function openapiRoot(): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const add = (key: string, group: string, version: string) => {
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${docHash(group, version)}` };
  };
  add('api/v1', '', 'v1');
  for (const g of groups()) for (const v of g.versions) add(`apis/${g.name}/${v}`, g.name, v);
  return { paths };
}

function docHash(group: string, version: string): string {
  return createHash('sha512')
    .update(JSON.stringify(openapiDoc(group, version)))
    .digest('hex')
    .slice(0, 64)
    .toUpperCase();
}

function schemaName(rt: ResourceType, version: string): string {
  const reversed = rt.group === '' ? 'io.k8s.api.core' : rt.group.split('.').reverse().join('.');
  return `${reversed}.${version}.${rt.kind}`;
}

const PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map((name) => ({
  name,
  in: 'query',
  schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
}));

export function openapiDoc(group: string, version: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  const prefix = group === '' ? '/api/v1' : `/apis/${group}/${version}`;
  for (const rt of kindsIn(group, version)) {
    if (rt.createOnly) continue;
    const gvk = { group: rt.group, version, kind: rt.kind };
    const name = schemaName(rt, version);
    const ref = { $ref: `#/components/schemas/${name}` };
    schemas[name] = {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      'x-kubernetes-group-version-kind': [gvk],
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    };
    const item = rt.namespaced
      ? `${prefix}/namespaces/{namespace}/${rt.plural}/{name}`
      : `${prefix}/${rt.plural}/{name}`;
    const op = (action: string, body: boolean) => ({
      operationId: `${action}${rt.kind}`,
      parameters: PARAMS,
      ...(body
        ? {
            requestBody: {
              content: Object.fromEntries(
                [
                  'application/json-patch+json',
                  'application/merge-patch+json',
                  'application/apply-patch+yaml',
                ].map((t) => [t, { schema: { type: 'object' } }]),
              ),
            },
          }
        : {}),
      responses: { '200': { content: { 'application/json': { schema: ref } } } },
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    });
    paths[item] = {
      get: op('get', false),
      patch: op('patch', true),
      put: { ...op('replace', false), requestBody: { content: { 'application/json': { schema: ref } } } },
      parameters: [
        { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
        ...(rt.namespaced
          ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string' } }]
          : []),
      ],
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas },
  };
}
