import 'server-only';
import type { AuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { controlCenterConfig } from '../config/control-center-config';
import { env } from '../config/env';
import { kubeContexts } from '../kube/contexts';
import { resolvePrincipal, type SessionClaims } from './principal';
import { fixedWindowLimiter } from './rate-limit';
import { authSecret } from './secret';
import { verifyLocalUser } from './users';

type OidcProfile = Record<string, unknown> & { sub: string };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const loginAttempts = fixedWindowLimiter({ limit: 10, windowMs: 60_000 });

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
          if (!loginAttempts.hit(`login:${username}`).ok) return null;
          const user = await verifyLocalUser(username, password);
          return user ? { id: user.username, name: user.username } : null;
        },
      }),
      ...(oidc ? [oidc] : []),
    ],
    callbacks: {
      jwt({ token, user, account, profile }) {
        if (account && user) {
          const groupsClaim = controlCenterConfig().auth.oidc?.groupsClaim ?? 'groups';
          const raw = (profile as Record<string, unknown> | undefined)?.[groupsClaim];
          const claims: SessionClaims = {
            sub: account.provider === 'credentials' ? user.id : `${account.provider}:${user.id}`,
            name: user.name ?? user.id,
            provider: account.provider === 'credentials' ? 'local' : 'oidc',
            ...(Array.isArray(raw)
              ? { groups: raw.filter((g): g is string => typeof g === 'string').slice(0, 200) }
              : {}),
          };
          return { ...claims };
        }
        return token;
      },
      session({ session, token }) {
        const p = resolvePrincipal(
          token as unknown as SessionClaims,
          controlCenterConfig().auth,
          kubeContexts().defaultName,
        );
        return { expires: session.expires, user: p ? { name: p.name, role: p.role } : undefined } as never;
      },
      redirect({ url, baseUrl }) {
        if (url.startsWith('/') && !url.startsWith('//')) return `${baseUrl}${url}`;
        return url.startsWith(`${baseUrl}/`) || url === baseUrl ? url : baseUrl;
      },
    },
  };
}
