import 'server-only';
import type Database from 'better-sqlite3';
import { runtime } from '../runtime/current';
import { SqliteSessions } from '../store/sqlite/sqlite-sessions';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import type { NewSession, OidcTokens, SessionRow } from '../store/types';

/**
 * The server side of every session: the cookie carries only the session id (`sid`); the store's sessions table says
 * whether the session still stands (every replica reads the same one). Its absolute expiry is fixed at sign-in
 * (created + auth.sessionMaxAgeSeconds) and never moves; sign-out and an admin's revocation set revoked_at. OIDC
 * sessions keep the provider's tokens there (never in the cookie) and the groups of the last check.
 */
export type { OidcTokens, SessionRow };

/** The clock of session checks (tests replace `now`). */
export const sessionClock = { now: (): number => Date.now() };

/** A new session row; its id goes into the cookie. */
export function createSession(s: NewSession, now = sessionClock.now()): Promise<SessionRow> {
  return runtime().store().sessions.create(s, now);
}

export function getSession(id: string): Promise<SessionRow | null> {
  return runtime().store().sessions.get(id);
}

/** Ends one session (sign-out, or the provider no longer knows the user). */
export function revokeSession(id: string, by: string, now = sessionClock.now()): Promise<void> {
  return runtime().store().sessions.revoke(id, by, now);
}

/**
 * Ends every live session of a user: a local username, an OIDC subject (with or without its `oidc:` prefix) or an
 * OIDC user's name. Resolves to how many sessions ended.
 */
export function revokeSessionsOf(user: string, by: string, now = sessionClock.now()): Promise<number> {
  return runtime().store().sessions.revokeOf(user, by, now);
}

/** How many live sessions a user has (the same matching as revokeSessionsOf). */
export function liveSessionsOf(user: string, now = sessionClock.now()): Promise<number> {
  return runtime().store().sessions.liveOf(user, now);
}

/** The result of a group check at the provider: the new groups (and tokens when they were refreshed). */
export function recordGroupCheck(
  id: string,
  groups: string[],
  tokens: OidcTokens,
  now = sessionClock.now(),
): Promise<void> {
  return runtime().store().sessions.recordGroupCheck(id, groups, tokens, now);
}

/** The SQLite connection of the sessions table (tests). */
export function sessionsDb(): Database.Database {
  const { sessions } = runtime().store();
  if (!(sessions instanceof SqliteSessions)) throw new Error('the sessions are not in a SQLite store');
  return sessions.db;
}

/** Puts the sessions on `db` (tests); the audit log stays where it was. undefined: the configured store again. */
export function setSessionsDb(db: Database.Database | undefined): void {
  if (!db) {
    runtime().useStore(undefined);
    return;
  }
  const s = runtime().store();
  if (!(s instanceof SqliteStore)) throw new Error('the store is not SQLite');
  runtime().useStore(SqliteStore.fromDb(s.db, new SqliteSessions(db)));
}
