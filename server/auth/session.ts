import 'server-only';
import { decode } from 'next-auth/jwt';
import { z } from 'zod';
import { controlCenterConfig } from '../config/control-center-config';
import { env } from '../config/env';
import { kubeContexts } from '../runtime/request-context';
import { checkOidcGroups, GROUP_CHECK_INTERVAL_MS } from './oidc-groups';
import { type Principal, resolvePrincipal } from './principal';
import { authSecret } from './secret';
import { getSession, recordGroupCheck, revokeSession, type SessionRow, sessionClock } from './session-store';

export const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'] as const;

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1),
  provider: z.enum(['local', 'oidc']),
  sid: z.string().min(1).max(200),
});

export const NO_SESSION = 'sign in first: no valid session (the login page is /login)';

/** Who a request is, or why it is nobody (the 401 message). */
export type SessionCheck = { who: Principal; session: SessionRow } | { who: null; reason: string };

const checking = new Map<string, Promise<string | null>>();

/** Asks the provider for the groups of an OIDC session when the last check is too old; a reason when it ends. */
async function recheckGroups(row: SessionRow, now: number): Promise<string | null> {
  if (row.groupsCheckedAt !== null && now - row.groupsCheckedAt < GROUP_CHECK_INTERVAL_MS) return null;
  const o = controlCenterConfig().auth.oidc;
  if (!o) return 'OIDC sign-in is no longer configured: sign in again';
  let pending = checking.get(row.id);
  if (!pending) {
    pending = (async () => {
      const clientSecret = o.clientSecret ?? env().OIDC_CLIENT_SECRET;
      const r = await checkOidcGroups(
        {
          issuer: o.issuer,
          clientId: o.clientId,
          groupsClaim: o.groupsClaim,
          ...(clientSecret ? { clientSecret } : {}),
        },
        row.subject.replace(/^oidc:/, ''),
        row.oidcTokens,
        now,
      );
      if (r.ok) {
        await recordGroupCheck(row.id, r.groups, r.tokens, now);
        return null;
      }
      if (r.gone) {
        await revokeSession(row.id, 'identity provider', now);
        console.error(`auth: session of ${row.subject} ended: ${r.message}`);
      }
      return r.message;
    })().finally(() => checking.delete(row.id));
    checking.set(row.id, pending);
  }
  return pending;
}

/** Fail closed: without the sessions table a revoked session cannot be told from a live one. */
function storeUnreadable(err: unknown): SessionCheck {
  console.error(`auth: the sessions table cannot be read or written: ${(err as Error).message}`);
  return { who: null, reason: 'the session store cannot be read: try again later' };
}

/**
 * Checks decoded session claims against the sessions table: the row must exist for the same subject, not be
 * revoked and not be past its absolute expiry; OIDC groups are re-read from the provider every 15 minutes. The role
 * comes from the configuration as it is now.
 */
export async function authenticateClaims(payload: unknown): Promise<SessionCheck> {
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) return { who: null, reason: NO_SESSION };
  const now = sessionClock.now();
  let row: SessionRow | null;
  try {
    row = await getSession(claims.data.sid);
  } catch (err) {
    return storeUnreadable(err);
  }
  if (!row || row.subject !== claims.data.sub || row.provider !== claims.data.provider)
    return { who: null, reason: NO_SESSION };
  if (row.revokedAt !== null)
    return { who: null, reason: 'this session was ended (signed out or revoked): sign in again' };
  if (now >= row.expiresAt) return { who: null, reason: 'this session expired: sign in again' };
  if (row.provider === 'oidc') {
    try {
      // The group check writes its result (or the revocation) to the sessions table, then the row is read again.
      const ended = await recheckGroups(row, now);
      if (ended) return { who: null, reason: ended };
      row = await getSession(row.id);
    } catch (err) {
      return storeUnreadable(err);
    }
    if (!row || row.revokedAt !== null) return { who: null, reason: NO_SESSION };
  }
  const who = resolvePrincipal(
    { sub: row.subject, name: row.name, provider: row.provider, groups: row.groups ?? [] },
    controlCenterConfig().auth,
    kubeContexts().defaultName,
  );
  return who ? { who, session: row } : { who: null, reason: 'this user is no longer configured' };
}

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
 * checked, then its row in the sessions table), with the role the configuration gives them now; else why not.
 */
export async function authenticate(cookieHeader: string | null): Promise<SessionCheck> {
  const token = sessionToken(parseCookies(cookieHeader));
  if (!token || token.length > 16_384) return { who: null, reason: NO_SESSION };
  let payload: unknown;
  try {
    payload = await decode({ token, secret: authSecret() });
  } catch {
    return { who: null, reason: NO_SESSION };
  }
  return authenticateClaims(payload);
}

/** The signed-in user of a request, or null (see authenticate). */
export async function principalFromCookies(cookieHeader: string | null): Promise<Principal | null> {
  return (await authenticate(cookieHeader)).who;
}
