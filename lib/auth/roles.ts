import { ACTION_NAMES, type ActionName, isActionName } from '../schemas/action-names';

/** The three roles, least to most privileged. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Namespaces a role applies to: a list, or every namespace. */
export type NamespaceScope = readonly string[] | '*';

/** Who is asking, as every authorization check and the UI see it (no secrets). */
export interface Access {
  name: string;
  /** null: signed in, but no role is mapped to this user or their groups. */
  role: Role | null;
  /** Where an operator may act (admins: everywhere). */
  namespaces: NamespaceScope;
}

const ROLE_ACTIONS: Record<Role, readonly ActionName[]> = {
  viewer: [],
  operator: ACTION_NAMES,
  admin: ACTION_NAMES,
};

export const rank = (r: Role | null): number => (r === null ? -1 : ROLES.indexOf(r));

/** The higher of two roles (a user in several groups gets the highest). */
export const higherRole = (a: Role | null, b: Role | null): Role | null => (rank(a) >= rank(b) ? a : b);

export const inScope = (scope: NamespaceScope, namespace: string): boolean =>
  scope === '*' || scope.includes('*') || scope.includes(namespace);

export type Decision = { ok: true } | { ok: false; reason: string };

/** May `who` read rollouts (every signed-in user with a role). */
export function canRead(who: Access | null): Decision {
  if (!who) return { ok: false, reason: 'sign in first' };
  if (!who.role) return { ok: false, reason: `${who.name} has no role: ask an admin to map a group or user` };
  return { ok: true };
}

/** May `who` run `action` on a rollout in `namespace`: the reason names the role and the namespaces. */
export function canAct(who: Access | null, action: string, namespace: string): Decision {
  const read = canRead(who);
  if (!read.ok || !who?.role) return read;
  const allowed = ROLE_ACTIONS[who.role];
  // An unknown action is the route's business (404) once the role may act at all.
  if (allowed.length === 0 || (isActionName(action) && !allowed.includes(action)))
    return { ok: false, reason: `your role (${who.role}) is read-only: ask an operator` };
  const scope = who.role === 'admin' ? '*' : who.namespaces;
  if (!inScope(scope, namespace))
    return {
      ok: false,
      reason: `your role (${who.role}) may act only in ${(scope as readonly string[]).join(', ') || 'no namespace'}`,
    };
  return { ok: true };
}

/** May `who` read the audit log (admins). */
export function canAudit(who: Access | null): Decision {
  const read = canRead(who);
  if (!read.ok || !who?.role) return read;
  return who.role === 'admin'
    ? { ok: true }
    : { ok: false, reason: `the audit log is for admins (you are ${who.role})` };
}
