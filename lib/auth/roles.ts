import { ACTION_NAMES, ACTIONS, type ActionName, isActionName } from '../actions/catalogue';

/** The three roles, least to most privileged. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Namespaces a role applies to: a list, or every namespace. */
export type NamespaceScope = readonly string[] | '*';

/** Where an operator may act: namespaces of one kube context (`'*'`: of every context). */
export interface Scope {
  context: string;
  namespaces: NamespaceScope;
}

/** Who is asking, as every authorization check and the UI see it (no secrets). */
export interface Access {
  name: string;
  /** null: signed in, but no role is mapped to this user or their groups. */
  role: Role | null;
  /** Where an operator may act, per kube context (admins: everywhere). */
  scopes: readonly Scope[];
  /** The kube context a request without `?context=` talks to (checks of such requests use it). */
  defaultContext: string;
}

export const rank = (r: Role | null): number => (r === null ? -1 : ROLES.indexOf(r));

/** The actions each role may run: those whose catalogue entry names this role or a lower one. */
const ROLE_ACTIONS = Object.fromEntries(
  ROLES.map((r) => [r, ACTION_NAMES.filter((n) => rank(ACTIONS[n].role) <= rank(r))]),
) as unknown as Record<Role, readonly ActionName[]>;

/** The higher of two roles (a user in several groups gets the highest). */
export const higherRole = (a: Role | null, b: Role | null): Role | null => (rank(a) >= rank(b) ? a : b);

export const inScope = (scope: NamespaceScope, namespace: string): boolean =>
  scope === '*' || scope.includes('*') || scope.includes(namespace);

/** Whether one of `scopes` covers `namespace` on kube context `context`. */
export const inScopes = (scopes: readonly Scope[], context: string, namespace: string): boolean =>
  scopes.some((s) => (s.context === '*' || s.context === context) && inScope(s.namespaces, namespace));

/** The union of two namespace scopes. */
export const mergeNamespaces = (a: NamespaceScope, b: NamespaceScope): NamespaceScope =>
  a === '*' || b === '*' || a.includes('*') || b.includes('*') ? '*' : [...new Set([...a, ...b])];

/** Scopes merged per context (one entry per context name, `'*'` kept apart), in first-seen order. */
export function mergeScopes(scopes: readonly Scope[]): Scope[] {
  const by = new Map<string, NamespaceScope>();
  for (const s of scopes) {
    const had = by.get(s.context);
    by.set(
      s.context,
      had === undefined ? mergeNamespaces([], s.namespaces) : mergeNamespaces(had, s.namespaces),
    );
  }
  return [...by].map(([context, namespaces]) => ({ context, namespaces }));
}

/** "demo, shop on context kind-a; every namespace on every context" (for messages and tooltips). */
export function describeScopes(scopes: readonly Scope[]): string {
  if (scopes.length === 0) return 'no namespace';
  return scopes
    .map((s) => {
      const ns = s.namespaces === '*' ? 'every namespace' : s.namespaces.join(', ') || 'no namespace';
      return `${ns} on ${s.context === '*' ? 'every context' : `context ${s.context}`}`;
    })
    .join('; ');
}

export type Decision = { ok: true } | { ok: false; reason: string };

/** May `who` read rollouts (every signed-in user with a role). */
export function canRead(who: Access | null): Decision {
  if (!who) return { ok: false, reason: 'sign in first' };
  if (!who.role) return { ok: false, reason: `${who.name} has no role: ask an admin to map a group or user` };
  return { ok: true };
}

/**
 * May `who` run `action` on a rollout in `namespace` of kube context `context` (the request's `?context=`, an
 * omitted one resolved to the default first): the reason names the role, the namespaces and the contexts.
 */
export function canAct(who: Access | null, action: string, context: string, namespace: string): Decision {
  const read = canRead(who);
  if (!read.ok || !who?.role) return read;
  const allowed = ROLE_ACTIONS[who.role];
  // An unknown action is the route's business (404) once the role may act at all.
  if (allowed.length === 0 || (isActionName(action) && !allowed.includes(action)))
    return { ok: false, reason: `your role (${who.role}) is read-only: ask an operator` };
  if (who.role === 'admin' || inScopes(who.scopes, context, namespace)) return { ok: true };
  return {
    ok: false,
    reason: `your role (${who.role}) may act only in ${describeScopes(who.scopes)} (not in ${namespace} on context ${context})`,
  };
}

/** May `who` read the audit log (admins). */
export function canAudit(who: Access | null): Decision {
  const read = canRead(who);
  if (!read.ok || !who?.role) return read;
  return who.role === 'admin'
    ? { ok: true }
    : { ok: false, reason: `the audit log is for admins (you are ${who.role})` };
}
