import { ruleAllows } from './rules';
import type { Attributes, Binding, Decision, PolicyRule, PolicySource, Subject, UserInfo } from './types';

/** The group Kubernetes' privileged-group authorizer lets do anything, before and regardless of RBAC. */
export const SYSTEM_MASTERS = 'system:masters';

export const serviceAccountUser = (namespace: string, name: string) =>
  `system:serviceaccount:${namespace}:${name}`;

/** Whether a binding's subject names the user; a ServiceAccount subject defaults to the binding's namespace. */
export function appliesTo(user: UserInfo, s: Subject, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return user.name === s.name;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return ns !== '' && user.name === serviceAccountUser(ns, s.name);
    }
    default:
      return false;
  }
}

interface Visited {
  rules: PolicyRule[];
  errors: string[];
  /** The binding and subject that allowed (RBAC's allow reason), when a rule did. */
  allowedBy?: string;
}

function describeSubject(s: Subject, bindingNs: string): string {
  if (s.kind === 'ServiceAccount') return `ServiceAccount "${s.name}/${s.namespace || bindingNs}"`;
  return `${s.kind} "${s.name}"`;
}

function describeBinding(b: Binding, bindingNs: string, s: Subject): string {
  const kind = bindingNs ? 'RoleBinding' : 'ClusterRoleBinding';
  const name = bindingNs ? `${b.metadata.name}/${bindingNs}` : (b.metadata.name ?? '');
  return `${kind} "${name}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(s, bindingNs)}`;
}

/** Visits the rules of every binding that applies: cluster role bindings, then role bindings of the namespace. */
function visit(
  policy: PolicySource,
  user: UserInfo,
  namespace: string,
  until: (r: PolicyRule) => boolean,
): Visited {
  const out: Visited = { rules: [], errors: [] };
  const take = (b: Binding, bindingNs: string): boolean => {
    const subject = (b.subjects ?? []).find((s) => appliesTo(user, s, bindingNs));
    if (!subject) return false;
    const ref = b.roleRef;
    const role =
      ref.kind === 'ClusterRole'
        ? policy.clusterRole(ref.name)
        : ref.kind === 'Role' && bindingNs
          ? policy.role(bindingNs, ref.name)
          : undefined;
    if (!role) {
      const what = ref.kind === 'ClusterRole' ? 'clusterrole' : 'role';
      out.errors.push(`${what}.rbac.authorization.k8s.io "${ref.name}" not found`);
      return false;
    }
    for (const rule of role.rules ?? []) {
      out.rules.push(rule);
      if (until(rule)) {
        out.allowedBy = describeBinding(b, bindingNs, subject);
        return true;
      }
    }
    return false;
  };
  for (const b of policy.clusterRoleBindings()) if (take(b, '')) return out;
  if (namespace) for (const b of policy.roleBindings(namespace)) if (take(b, namespace)) return out;
  return out;
}

function rbacReason(errors: string[]): string {
  if (errors.length === 0) return '';
  return `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`;
}

/**
 * The API server's authorizer chain for the lab: members of system:masters are always allowed, everyone else only by
 * an RBAC rule (there is no deny; a missing role is reported in the reason, as RBAC does).
 */
export function authorize(policy: PolicySource, user: UserInfo, a: Attributes): Decision {
  if (user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
  const namespace = a.resourceRequest ? a.namespace : '';
  let allowed = false;
  const seen = visit(policy, user, namespace, (rule) => {
    allowed = ruleAllows(a, rule);
    return allowed;
  });
  if (allowed) return { allowed, reason: `RBAC: allowed by ${seen.allowedBy}` };
  return { allowed, reason: rbacReason(seen.errors) };
}

/** Every rule that applies to the user in a namespace (SelfSubjectRulesReview); incomplete when a role is missing. */
export function rulesFor(
  policy: PolicySource,
  user: UserInfo,
  namespace: string,
): { rules: PolicyRule[]; incomplete: boolean; evaluationError: string } {
  const seen = visit(policy, user, namespace, () => false);
  return { rules: seen.rules, incomplete: seen.errors.length > 0, evaluationError: seen.errors.join(', ') };
}
