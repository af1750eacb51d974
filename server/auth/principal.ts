import 'server-only';
import type { Access, NamespaceScope, Role } from '@/lib/auth/roles';
import { higherRole } from '@/lib/auth/roles';
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

const merge = (a: NamespaceScope, b: NamespaceScope | undefined): NamespaceScope =>
  a === '*' || b === undefined || b === '*' ? '*' : [...new Set([...a, ...b])];

/**
 * The role and namespaces of a signed-in user, from the configuration as it is now (a removed user or group loses
 * access at the next request): local users by name, OIDC users by their groups (the highest role wins).
 */
export function resolvePrincipal(claims: SessionClaims, auth: AuthConfig): Principal | null {
  if (claims.provider === 'local') {
    const u = auth.users.find((x) => x.username === claims.sub);
    if (!u) return null;
    return {
      id: u.username,
      name: u.username,
      provider: 'local',
      subject: `local:${u.username}`,
      role: u.role,
      namespaces: u.namespaces ?? '*',
    };
  }
  let role: Role | null = null;
  let namespaces: NamespaceScope = [];
  const groups = new Set(claims.groups ?? []);
  for (const b of auth.groups) {
    if (!groups.has(b.group)) continue;
    role = higherRole(role, b.role);
    // Only bindings that may act widen where the user may act.
    if (b.role !== 'viewer') namespaces = merge(namespaces, b.namespaces ?? '*');
  }
  if (role === null && auth.defaultRole) {
    role = auth.defaultRole;
    namespaces = '*';
  }
  return {
    id: claims.sub,
    name: claims.name,
    provider: 'oidc',
    subject: oidcSubject(claims.sub, auth.oidc?.issuer),
    role,
    namespaces,
  };
}
