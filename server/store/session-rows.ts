import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { NewSession, SessionRow } from './types';

/** Row shaping of the sessions table, shared by every store implementation. */

/** The columns of one `sessions` row (times in ms since the epoch; JSON as text). */
export interface SessionDbRow {
  id: string;
  subject: string;
  name: string;
  provider: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
  groups: string | null;
  groups_checked_at: number | null;
  oidc_tokens: string | null;
}

/** Rows past their expiry by more than this are deleted (they refuse the cookie either way). */
export const KEEP_EXPIRED_MS = 24 * 3600 * 1000;

/** A session id: 24 random bytes, base64url (it is the only secret the cookie carries). */
export const newSessionId = (): string => randomBytes(24).toString('base64url');

const tokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  expiresAt: z.number().optional(),
});
const groupsSchema = z.array(z.string());

/** A JSON column read back; anything that does not parse as expected reads as null. */
function parseJson<T>(text: string | null, schema: z.ZodType<T>): T | null {
  if (text === null) return null;
  try {
    const v = schema.safeParse(JSON.parse(text));
    return v.success ? v.data : null;
  } catch {
    return null;
  }
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export const sessionFromRow = (r: SessionDbRow): SessionRow => ({
  id: r.id,
  subject: r.subject,
  name: r.name,
  provider: r.provider === 'oidc' ? 'oidc' : 'local',
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  revokedAt: num(r.revoked_at),
  revokedBy: r.revoked_by,
  groups: parseJson(r.groups, groupsSchema),
  groupsCheckedAt: num(r.groups_checked_at),
  oidcTokens: parseJson(r.oidc_tokens, tokensSchema),
});

/** The row a new session is inserted as. */
export const newSessionRow = (s: NewSession, now: number, id = newSessionId()): SessionDbRow => ({
  id,
  subject: s.subject,
  name: s.name,
  provider: s.provider,
  created_at: now,
  expires_at: now + s.maxAgeSeconds * 1000,
  revoked_at: null,
  revoked_by: null,
  groups: s.groups ? JSON.stringify(s.groups) : null,
  groups_checked_at: s.provider === 'oidc' ? now : null,
  oidc_tokens: s.oidcTokens ? JSON.stringify(s.oidcTokens) : null,
});

/**
 * The three values a user matches (revokeOf, liveOf): `subject = a OR subject = b OR name = c` - a local username
 * or full subject, an OIDC subject without its `oidc:` prefix, an OIDC user's name.
 */
export const userMatch = (user: string): [string, string, string] => [user, `oidc:${user}`, user];
