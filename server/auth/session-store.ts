import 'server-only';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { openAuditDb } from '../audit/audit-db';
import { env } from '../config/env';

/**
 * The server side of every session: the cookie carries only the session id (`sid`); this table says whether the
 * session still stands. Its absolute expiry is fixed at sign-in (created + auth.sessionMaxAgeSeconds) and never
 * moves; sign-out and an admin's revocation set revoked_at. OIDC sessions keep the provider's tokens here (never in
 * the cookie) and the groups of the last check.
 */
export interface OidcTokens {
  accessToken: string;
  refreshToken?: string;
  /** When the access token expires (ms since the epoch), when the provider said. */
  expiresAt?: number;
}

export interface SessionRow {
  id: string;
  subject: string;
  name: string;
  provider: 'local' | 'oidc';
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  revokedBy: string | null;
  groups: string[] | null;
  groupsCheckedAt: number | null;
  oidcTokens: OidcTokens | null;
}

const KEY = Symbol.for('control-center.sessions-db');
type Holder = { [KEY]?: Database.Database };

/**
 * The sessions table lives in the control center's database file (CONTROL_CENTER_DATA_DIR/control-center.db), on a
 * connection of its own: sign-in keeps working while the audit log's connection is swapped or closed.
 */
export function sessionsDb(): Database.Database {
  const g = globalThis as Holder;
  g[KEY] ??= openAuditDb(path.resolve(env().CONTROL_CENTER_DATA_DIR ?? '.data', 'control-center.db'));
  return g[KEY];
}

/** Replaces the sessions connection (tests). */
export function setSessionsDb(db: Database.Database | undefined): void {
  (globalThis as Holder)[KEY] = db;
}

/** The clock of session checks (tests replace `now`). */
export const sessionClock = { now: (): number => Date.now() };

const tokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  expiresAt: z.number().optional(),
});
const groupsSchema = z.array(z.string());

interface DbRow {
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

function parseJson<T>(text: string | null, schema: z.ZodType<T>): T | null {
  if (text === null) return null;
  try {
    const v = schema.safeParse(JSON.parse(text));
    return v.success ? v.data : null;
  } catch {
    return null;
  }
}

const fromDb = (r: DbRow): SessionRow => ({
  id: r.id,
  subject: r.subject,
  name: r.name,
  provider: r.provider === 'oidc' ? 'oidc' : 'local',
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
  groups: parseJson(r.groups, groupsSchema),
  groupsCheckedAt: r.groups_checked_at,
  oidcTokens: parseJson(r.oidc_tokens, tokensSchema),
});

/** Rows past their expiry by more than this are deleted (they refuse the cookie either way). */
const KEEP_EXPIRED_MS = 24 * 3600 * 1000;

/** A new session row; its id goes into the cookie. */
export function createSession(
  s: {
    subject: string;
    name: string;
    provider: 'local' | 'oidc';
    maxAgeSeconds: number;
    groups?: string[];
    oidcTokens?: OidcTokens;
  },
  now = sessionClock.now(),
): SessionRow {
  const db = sessionsDb();
  db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(now - KEEP_EXPIRED_MS);
  const id = randomBytes(24).toString('base64url');
  db.prepare(
    `INSERT INTO sessions (id, subject, name, provider, created_at, expires_at, groups, groups_checked_at, oidc_tokens)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    s.subject,
    s.name,
    s.provider,
    now,
    now + s.maxAgeSeconds * 1000,
    s.groups ? JSON.stringify(s.groups) : null,
    s.provider === 'oidc' ? now : null,
    s.oidcTokens ? JSON.stringify(s.oidcTokens) : null,
  );
  return getSession(id) as SessionRow;
}

export function getSession(id: string): SessionRow | null {
  const r = sessionsDb().prepare('SELECT * FROM sessions WHERE id = ?').get(id) as DbRow | undefined;
  return r ? fromDb(r) : null;
}

/** Ends one session (sign-out, or the provider no longer knows the user). */
export function revokeSession(id: string, by: string, now = sessionClock.now()): void {
  sessionsDb()
    .prepare(
      'UPDATE sessions SET revoked_at = ?, revoked_by = ?, oidc_tokens = NULL WHERE id = ? AND revoked_at IS NULL',
    )
    .run(now, by, id);
}

/**
 * Ends every live session of a user: a local username, an OIDC subject (with or without its `oidc:` prefix) or an
 * OIDC user's name. Returns how many sessions ended.
 */
export function revokeSessionsOf(user: string, by: string, now = sessionClock.now()): number {
  return sessionsDb()
    .prepare(
      `UPDATE sessions SET revoked_at = ?, revoked_by = ?, oidc_tokens = NULL
       WHERE revoked_at IS NULL AND expires_at > ? AND (subject = ? OR subject = ? OR name = ?)`,
    )
    .run(now, by, now, user, `oidc:${user}`, user).changes;
}

/** How many live sessions a user has (the same matching as revokeSessionsOf). */
export function liveSessionsOf(user: string, now = sessionClock.now()): number {
  const r = sessionsDb()
    .prepare(
      `SELECT count(*) AS n FROM sessions
       WHERE revoked_at IS NULL AND expires_at > ? AND (subject = ? OR subject = ? OR name = ?)`,
    )
    .get(now, user, `oidc:${user}`, user) as { n: number };
  return r.n;
}

/** The result of a group check at the provider: the new groups (and tokens when they were refreshed). */
export function recordGroupCheck(
  id: string,
  groups: string[],
  tokens: OidcTokens,
  now = sessionClock.now(),
): void {
  sessionsDb()
    .prepare(
      'UPDATE sessions SET groups = ?, groups_checked_at = ?, oidc_tokens = ? WHERE id = ? AND revoked_at IS NULL',
    )
    .run(JSON.stringify(groups), now, JSON.stringify(tokens), id);
}
