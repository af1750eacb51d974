import 'server-only';
import type { AuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { safeReturnPath } from '@/lib/auth/return-path';
import { controlCenterConfig } from '../config/control-center-config';
import { env } from '../config/env';
import type { SessionClaims } from './principal';
import { authSecret } from './secret';
import { authenticateClaims } from './session';
import { createSession, revokeSession } from './session-store';
import { verifyLocalUser } from './users';

type OidcProfile = Record<string, unknown> & { sub: string };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The OIDC provider of CONTROL_CENTER_CONFIG `auth.oidc` (discovery from the issuer, PKCE + state). */
function oidcProvider(): OAuthConfig<OidcProfile> | null {
  const o = controlCenterConfig().auth.oidc;
  if (!o) return null;
  const clientSecret = o.clientSecret ?? env().OIDC_CLIENT_SECRET;
  return {
    id: 'oidc',
    name: o.name,
    type: 'oauth',
    wellKnown: `${o.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
    clientId: o.clientId,
    ...(clientSecret ? { clientSecret } : { client: { token_endpoint_auth_method: 'none' } }),
    authorization: { params: { scope: o.scopes } },
    idToken: true,
    checks: ['pkce', 'state'],
    profile: (p) => ({
      id: p.sub,
      name: str(p.name) ?? str(p.preferred_username) ?? str(p.email) ?? p.sub,
      email: str(p.email) ?? null,
    }),
  };
}

/** next-auth: local users (argon2) and an optional OIDC provider; JWT sessions in an httpOnly SameSite cookie. */
export function authOptions(): AuthOptions {
  const cfg = controlCenterConfig().auth;
  const oidc = oidcProvider();
  return {
    secret: authSecret(),
    session: { strategy: 'jwt', maxAge: cfg.sessionMaxAgeSeconds },
    jwt: { maxAge: cfg.sessionMaxAgeSeconds },
    pages: { signIn: '/login', error: '/login', signOut: '/login' },
    logger: {
      error: (code, meta) => console.error(`auth: ${code}`, meta instanceof Error ? meta.message : ''),
      warn: (code) => {
        if (code !== 'DEBUG_ENABLED') console.warn(`auth: ${code}`);
      },
      debug: () => undefined,
    },
    providers: [
      CredentialsProvider({
        id: 'credentials',
        name: 'Password',
        credentials: {
          username: { label: 'Username', type: 'text' },
          password: { label: 'Password', type: 'password' },
        },
        async authorize(credentials) {
          const username = str(credentials?.username)?.slice(0, 128) ?? '';
          const password = str(credentials?.password)?.slice(0, 1024) ?? '';
          // Throttled by source address and username before this runs (server/auth/nextauth-handler.ts).
          const user = await verifyLocalUser(username, password);
          return user ? { id: user.username, name: user.username } : null;
        },
      }),
      ...(oidc ? [oidc] : []),
    ],
    events: {
      // Sign-out ends the session on the server too: the old cookie is refused from now on.
      async signOut({ token }) {
        const sid = (token as { sid?: unknown } | null)?.sid;
        if (typeof sid === 'string') await revokeSession(sid, 'sign-out');
      },
    },
    callbacks: {
      async jwt({ token, user, account, profile }) {
        if (account && user) {
          const groupsClaim = controlCenterConfig().auth.oidc?.groupsClaim ?? 'groups';
          const raw = (profile as Record<string, unknown> | undefined)?.[groupsClaim];
          const local = account.provider === 'credentials';
          const claims: Omit<SessionClaims, 'groups'> = {
            sub: local ? user.id : `${account.provider}:${user.id}`,
            name: user.name ?? user.id,
            provider: local ? 'local' : 'oidc',
          };
          // The groups and the provider's tokens stay on the server; the cookie carries the session id.
          const row = await createSession({
            subject: claims.sub,
            name: claims.name,
            provider: claims.provider,
            maxAgeSeconds: cfg.sessionMaxAgeSeconds,
            ...(local
              ? {}
              : {
                  groups: Array.isArray(raw)
                    ? raw.filter((g): g is string => typeof g === 'string').slice(0, 200)
                    : [],
                }),
            ...(!local && account.access_token
              ? {
                  oidcTokens: {
                    accessToken: account.access_token,
                    ...(account.refresh_token ? { refreshToken: account.refresh_token } : {}),
                    ...(account.expires_at ? { expiresAt: account.expires_at * 1000 } : {}),
                  },
                }
              : {}),
          });
          return { ...claims, sid: row.id };
        }
        // Every later read (GET /api/auth/session re-issues the cookie): the session must still stand.
        const r = await authenticateClaims(token);
        if (r.who === null) throw new Error(r.reason);
        return token;
      },
      async session({ session, token }) {
        const r = await authenticateClaims(token);
        if (r.who === null) return { expires: session.expires } as never;
        // The absolute expiry of the session row, never later (the cookie may be re-issued, the session is not extended).
        const expires = new Date(Math.min(Date.parse(session.expires), r.session.expiresAt)).toISOString();
        return { expires, user: { name: r.who.name, role: r.who.role } } as never;
      },
      redirect({ url, baseUrl }) {
        // Same-origin paths only (lib/auth/return-path.ts); an absolute URL of this origin is reduced to its path.
        const local = url === baseUrl ? '/' : url.startsWith(`${baseUrl}/`) ? url.slice(baseUrl.length) : url;
        return `${baseUrl}${safeReturnPath(local)}`;
      },
    },
  };
}
