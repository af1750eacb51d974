import { StatusError } from '../store/status-error';
import type { Attributes, UserInfo } from './types';

/** The sentence the API server's Forbidden responder writes for a refused request (responsewriters/errors.go). */
export function forbiddenMessage(user: UserInfo, a: Attributes): string {
  if (!a.resourceRequest) return `User "${user.name}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${scope}`;
}

/**
 * The 403 `Status` for a refused request, worded as apierrors.NewForbidden does: `<resource>[.<group>] ["<name>"] is
 * forbidden: <message>[: <reason>]`, or `forbidden: ...` for a non-resource path.
 */
export function forbidden(user: UserInfo, a: Attributes, reason: string): StatusError {
  const text = reason ? `${forbiddenMessage(user, a)}: ${reason}` : forbiddenMessage(user, a);
  if (!a.resourceRequest || !a.resource) return new StatusError(403, 'Forbidden', `forbidden: ${text}`, {});
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const subject = a.name ? `${qualified} "${a.name}"` : qualified;
  return new StatusError(403, 'Forbidden', `${subject} is forbidden: ${text}`, {
    ...(a.name ? { name: a.name } : {}),
    ...(a.apiGroup ? { group: a.apiGroup } : {}),
    kind: a.resource,
  });
}
