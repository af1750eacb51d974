import { invalid } from './status-error';
import type { ResourceType } from './types';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kinds whose names must be DNS-1123 labels (63 chars, no dots); the rest take subdomains (253 chars). */
const LABEL_KINDS = new Set(['Namespace', 'Service']);

/** RBAC kinds take any valid path segment (ValidateRBACName), so `system:discovery` is a valid ClusterRole. */
const PATH_SEGMENT_KINDS = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

function pathSegmentProblem(name: string): string | undefined {
  if (name === '.' || name === '..') return `may not be '${name}'`;
  for (const c of ['/', '%']) if (name.includes(c)) return `may not contain '${c}'`;
  return undefined;
}

export function validateName(rt: ResourceType, name: string, field: string): void {
  if (!name)
    throw invalid(
      rt.kind,
      name,
      [{ field, message: 'Required value: name or generateName is required' }],
      rt.group,
    );
  if (PATH_SEGMENT_KINDS.has(rt.kind)) {
    const problem = pathSegmentProblem(name);
    if (problem)
      throw invalid(rt.kind, name, [{ field, message: `Invalid value: "${name}": ${problem}` }], rt.group);
    return;
  }
  const label = LABEL_KINDS.has(rt.kind);
  const ok = label
    ? DNS1123_LABEL.test(name) && name.length <= 63
    : DNS1123_SUBDOMAIN.test(name) && name.length <= 253;
  if (!ok) {
    const what = label ? 'a lowercase RFC 1123 label' : 'a lowercase RFC 1123 subdomain';
    throw invalid(
      rt.kind,
      name,
      [
        {
          field,
          message: `Invalid value: "${name}": ${what} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
        },
      ],
      rt.group,
    );
  }
}
