import 'server-only';
import type { Access, NamespaceScope, Role, Scope } from '@/lib/auth/roles';
import { higherRole, mergeScopes } from '@/lib/auth/roles';
import type { AuthConfig } from '@/lib/schemas/control-center-config';

/** What the session cookie carries (signed and encrypted by next-auth): who, from where, and their groups. */
export interface SessionClaims {
  sub: string;
  name: string;
  provider: 'local' | 'oidc';
  groups?: string[];
}

export interface Principal extends Access {
  id: string;
  provider: 'local' | 'oidc';
  /**
   * Who this is, stable and unforgeable by the user (the audit log's identity): `local:<username>`, or
   * `oidc:<issuer>#<sub>` (the ID token's subject at the configured issuer). `name` is for display only.
   */
  subject: string;
}

/** The OIDC subject of a session's `sub` claim (the jwt callback stores it as `<provider id>:<sub>`). */
const oidcSubject = (claimSub: string, issuer: string | undefined): string =>
  `oidc:${issuer ?? '(no issuer configured)'}#${claimSub.replace(/^oidc:/, '')}`;

/**
 * A user's or group binding's scopes: `scopes:` as written, else the `namespaces:` shorthand (or every namespace when
 * that is omitted too) on the DEFAULT context only. Every other context must be named, or written as `context: '*'`.
 */
export function scopesOf(
  b: {
    namespaces?: readonly string[];
    scopes?: ReadonlyArray<{ context: string; namespaces: readonly string[] }>;
  },
  defaultContext: string,
): Scope[] {
  const ns = (list: readonly string[] | undefined): NamespaceScope =>
    list === undefined || list.includes('*') ? '*' : list;
  if (b.scopes)
    return mergeScopes(b.scopes.map((s) => ({ context: s.context, namespaces: ns(s.namespaces) })));
  return [{ context: defaultContext, namespaces: ns(b.namespaces) }];
}

/**
 * The role and scopes of a signed-in user, from the configuration as it is now (a removed user or group loses
 * access at the next request): local users by name, OIDC users by their groups (the highest role wins; the scopes of
 * every binding that may act merge per context). `defaultContext` is what the `namespaces:` shorthand applies to.
 */
export function resolvePrincipal(
  claims: SessionClaims,
  auth: AuthConfig,
  defaultContext: string,
): Principal | null {
  if (claims.provider === 'local') {
    const u = auth.users.find((x) => x.username === claims.sub);
    if (!u) return null;
    return {
      id: u.username,
      name: u.username,
      provider: 'local',
      subject: `local:${u.username}`,
      role: u.role,
      scopes: scopesOf(u, defaultContext),
      defaultContext,
    };
  }
  let role: Role | null = null;
  let scopes: Scope[] = [];
  const groups = new Set(claims.groups ?? []);
  for (const b of auth.groups) {
    if (!groups.has(b.group)) continue;
    role = higherRole(role, b.role);
    // Only bindings that may act widen where the user may act.
    if (b.role !== 'viewer') scopes = mergeScopes([...scopes, ...scopesOf(b, defaultContext)]);
  }
  if (role === null && auth.defaultRole) {
    role = auth.defaultRole;
    scopes = [{ context: defaultContext, namespaces: '*' }];
  }
  return {
    id: claims.sub,
    name: claims.name,
    provider: 'oidc',
    subject: oidcSubject(claims.sub, auth.oidc?.issuer),
    role,
    scopes,
    defaultContext,
  };
}
