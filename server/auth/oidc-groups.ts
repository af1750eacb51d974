import 'server-only';
import { z } from 'zod';
import type { OidcTokens } from './session-store';

/** How long the groups read from the provider stand before the provider is asked again. */
export const GROUP_CHECK_INTERVAL_MS = 15 * 60_000;
const TIMEOUT_MS = 5000;

export interface OidcClient {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  groupsClaim: string;
}

export type GroupCheck =
  | { ok: true; groups: string[]; tokens: OidcTokens }
  /** gone: the provider refused the tokens or no longer knows the user (the session ends). */
  | { ok: false; gone: boolean; message: string };

const discoverySchema = z.object({
  userinfo_endpoint: z.url(),
  token_endpoint: z.url(),
});
const tokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().positive().optional(),
});

class Unreachable extends Error {}
const GONE = 'the identity provider no longer accepts this sign-in: sign in again';
const UNREACHABLE =
  'the identity provider could not confirm your groups (it is unreachable); sign in again when it is back';

async function call(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new Unreachable((err as Error).message);
  }
}

const discovered = new Map<string, z.infer<typeof discoverySchema>>();
async function endpoints(issuer: string) {
  const known = discovered.get(issuer);
  if (known) return known;
  const res = await call(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {});
  if (!res.ok) throw new Unreachable(`discovery answered ${res.status}`);
  const doc = discoverySchema.safeParse(await res.json().catch(() => null));
  if (!doc.success) throw new Unreachable('discovery document without userinfo/token endpoints');
  discovered.set(issuer, doc.data);
  return doc.data;
}

/** A new access token from the refresh token; null when the provider refuses it (4xx). */
async function refresh(
  c: OidcClient,
  tokenUrl: string,
  t: OidcTokens,
  now: number,
): Promise<OidcTokens | null> {
  if (!t.refreshToken) return null;
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refreshToken });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (c.clientSecret) {
    const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
    headers.authorization = `Basic ${Buffer.from(`${enc(c.clientId)}:${enc(c.clientSecret)}`).toString('base64')}`;
  } else body.set('client_id', c.clientId);
  const res = await call(tokenUrl, { method: 'POST', headers, body: body.toString() });
  if (res.status >= 400 && res.status < 500) return null;
  if (!res.ok) throw new Unreachable(`the token endpoint answered ${res.status}`);
  const parsed = tokenSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new Unreachable('the token endpoint answered without an access token');
  return {
    accessToken: parsed.data.access_token,
    refreshToken: parsed.data.refresh_token ?? t.refreshToken,
    ...(parsed.data.expires_in ? { expiresAt: now + parsed.data.expires_in * 1000 } : {}),
  };
}

/** The userinfo claims for the token; null when the provider refuses the token (401/403). */
async function userinfo(url: string, t: OidcTokens): Promise<Record<string, unknown> | null> {
  const res = await call(url, {
    headers: { authorization: `Bearer ${t.accessToken}`, accept: 'application/json' },
  });
  if (res.status === 401 || res.status === 403) return null;
  if (!res.ok) throw new Unreachable(`the userinfo endpoint answered ${res.status}`);
  const v = (await res.json().catch(() => null)) as unknown;
  if (!v || typeof v !== 'object') throw new Unreachable('the userinfo endpoint answered no JSON object');
  return v as Record<string, unknown>;
}

/**
 * Asks the provider for the user's groups now: the userinfo endpoint with the access token (refreshed first when it
 * expired, or once when the provider refuses it). The answer must be about the same subject.
 */
export async function checkOidcGroups(
  c: OidcClient,
  subject: string,
  tokens: OidcTokens | null,
  now: number,
): Promise<GroupCheck> {
  if (!tokens) return { ok: false, gone: true, message: GONE };
  try {
    const ep = await endpoints(c.issuer);
    let t: OidcTokens | null = tokens;
    let refreshed = false;
    if (t.expiresAt !== undefined && now >= t.expiresAt - 30_000) {
      t = await refresh(c, ep.token_endpoint, t, now);
      refreshed = true;
      if (!t) return { ok: false, gone: true, message: GONE };
    }
    let claims = await userinfo(ep.userinfo_endpoint, t);
    if (!claims && !refreshed) {
      t = await refresh(c, ep.token_endpoint, t, now);
      if (!t) return { ok: false, gone: true, message: GONE };
      claims = await userinfo(ep.userinfo_endpoint, t);
    }
    if (!claims || claims.sub !== subject) return { ok: false, gone: true, message: GONE };
    const raw = claims[c.groupsClaim];
    const groups = Array.isArray(raw)
      ? raw.filter((g): g is string => typeof g === 'string').slice(0, 200)
      : [];
    return { ok: true, groups, tokens: t };
  } catch (err) {
    if (!(err instanceof Unreachable)) throw err;
    console.error(`auth: group check at ${c.issuer} failed: ${err.message}`);
    return { ok: false, gone: false, message: UNREACHABLE };
  }
}
