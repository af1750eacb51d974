import 'server-only';
import { decode } from 'next-auth/jwt';
import { z } from 'zod';
import { controlCenterConfig } from '../config/control-center-config';
import { kubeContexts } from '../kube/contexts';
import { type Principal, resolvePrincipal } from './principal';
import { authSecret } from './secret';

export const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'] as const;

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1),
  provider: z.enum(['local', 'oidc']),
  groups: z.array(z.string()).optional(),
});

/** Cookies of a `Cookie:` header (first value of a name wins). */
export function parseCookies(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 1) continue;
    const k = part.slice(0, i).trim();
    if (!out.has(k)) {
      const v = part.slice(i + 1).trim();
      try {
        out.set(k, decodeURIComponent(v));
      } catch {
        out.set(k, v);
      }
    }
  }
  return out;
}

/** The session token (next-auth splits big ones into `.0`, `.1`, ... chunks). */
function sessionToken(cookies: Map<string, string>): string | undefined {
  for (const name of SESSION_COOKIES) {
    const whole = cookies.get(name);
    if (whole) return whole;
    let joined = '';
    for (let i = 0; cookies.has(`${name}.${i}`); i++) joined += cookies.get(`${name}.${i}`);
    if (joined) return joined;
  }
  return undefined;
}

/**
 * The signed-in user of a request (from its session cookie: encrypted and signed with AUTH_SECRET, expiry
 * checked), with the role the configuration gives them now; null when there is no valid session.
 */
export async function principalFromCookies(cookieHeader: string | null): Promise<Principal | null> {
  const token = sessionToken(parseCookies(cookieHeader));
  if (!token || token.length > 16_384) return null;
  let payload: unknown;
  try {
    payload = await decode({ token, secret: authSecret() });
  } catch {
    return null;
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) return null;
  return resolvePrincipal(claims.data, controlCenterConfig().auth, kubeContexts().defaultName);
}
