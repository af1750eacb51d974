import type Database from 'better-sqlite3';
import {
  KEEP_EXPIRED_MS,
  newSessionRow,
  type SessionDbRow,
  sessionFromRow,
  userMatch,
} from '../session-rows';
import type { NewSession, OidcTokens, SessionRow, SessionStore } from '../types';

const LIVE_USER = 'revoked_at IS NULL AND expires_at > ? AND (subject = ? OR subject = ? OR name = ?)';

/** The sessions table of a SQLite database (a connection of its own: sign-in works while the audit one is closed). */
export class SqliteSessions implements SessionStore {
  constructor(readonly db: Database.Database) {}

  async create(s: NewSession, now: number): Promise<SessionRow> {
    const row = newSessionRow(s, now);
    this.db
      .transaction(() => {
        this.db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(now - KEEP_EXPIRED_MS);
        this.db
          .prepare(
            `INSERT INTO sessions (id, subject, name, provider, created_at, expires_at, revoked_at, revoked_by, groups,
             groups_checked_at, oidc_tokens)
           VALUES (@id, @subject, @name, @provider, @created_at, @expires_at, @revoked_at, @revoked_by, @groups,
             @groups_checked_at, @oidc_tokens)`,
          )
          .run(row);
      })
      .immediate();
    return sessionFromRow(row);
  }

  async get(id: string): Promise<SessionRow | null> {
    const r = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionDbRow | undefined;
    return r ? sessionFromRow(r) : null;
  }

  async revoke(id: string, by: string, now: number): Promise<void> {
    this.db
      .prepare(
        'UPDATE sessions SET revoked_at = ?, revoked_by = ?, oidc_tokens = NULL WHERE id = ? AND revoked_at IS NULL',
      )
      .run(now, by, id);
  }

  async revokeOf(user: string, by: string, now: number): Promise<number> {
    return this.db
      .prepare(`UPDATE sessions SET revoked_at = ?, revoked_by = ?, oidc_tokens = NULL WHERE ${LIVE_USER}`)
      .run(now, by, now, ...userMatch(user)).changes;
  }

  async liveOf(user: string, now: number): Promise<number> {
    const r = this.db
      .prepare(`SELECT count(*) AS n FROM sessions WHERE ${LIVE_USER}`)
      .get(now, ...userMatch(user)) as {
      n: number;
    };
    return r.n;
  }

  async recordGroupCheck(id: string, groups: string[], tokens: OidcTokens, now: number): Promise<void> {
    this.db
      .prepare(
        'UPDATE sessions SET groups = ?, groups_checked_at = ?, oidc_tokens = ? WHERE id = ? AND revoked_at IS NULL',
      )
      .run(JSON.stringify(groups), now, JSON.stringify(tokens), id);
  }
}
