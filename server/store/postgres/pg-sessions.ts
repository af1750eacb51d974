import type pg from 'pg';
import {
  KEEP_EXPIRED_MS,
  newSessionRow,
  type SessionDbRow,
  sessionFromRow,
  userMatch,
} from '../session-rows';
import type { NewSession, OidcTokens, SessionRow, SessionStore } from '../types';
import type { PgQuery } from './pg-query';

const COLUMNS =
  'id, subject, name, provider, created_at, expires_at, revoked_at, revoked_by, groups, groups_checked_at, oidc_tokens';

/** The sessions table on PostgreSQL: every replica sees a session the moment it is created or revoked. */
export class PgSessions implements SessionStore {
  constructor(private readonly query: PgQuery) {}

  async create(s: NewSession, now: number): Promise<SessionRow> {
    await this.query('DELETE FROM sessions WHERE expires_at < $1', [now - KEEP_EXPIRED_MS]);
    const r = newSessionRow(s, now);
    const res = await this.query<SessionDbRow>(
      `INSERT INTO sessions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
      [
        r.id,
        r.subject,
        r.name,
        r.provider,
        r.created_at,
        r.expires_at,
        r.revoked_at,
        r.revoked_by,
        r.groups,
        r.groups_checked_at,
        r.oidc_tokens,
      ],
    );
    return sessionFromRow(one(res));
  }

  async get(id: string): Promise<SessionRow | null> {
    const res = await this.query<SessionDbRow>(`SELECT ${COLUMNS} FROM sessions WHERE id = $1`, [id]);
    const r = res.rows[0];
    return r ? sessionFromRow(r) : null;
  }

  async revoke(id: string, by: string, now: number): Promise<void> {
    await this.query(
      'UPDATE sessions SET revoked_at = $1, revoked_by = $2, oidc_tokens = NULL WHERE id = $3 AND revoked_at IS NULL',
      [now, by, id],
    );
  }

  async revokeOf(user: string, by: string, now: number): Promise<number> {
    const res = await this.query(
      `UPDATE sessions SET revoked_at = $1, revoked_by = $2, oidc_tokens = NULL
       WHERE revoked_at IS NULL AND expires_at > $1 AND (subject = $3 OR subject = $4 OR name = $5)`,
      [now, by, ...userMatch(user)],
    );
    return res.rowCount ?? 0;
  }

  async liveOf(user: string, now: number): Promise<number> {
    const res = await this.query<{ n: number }>(
      `SELECT count(*) AS n FROM sessions
       WHERE revoked_at IS NULL AND expires_at > $1 AND (subject = $2 OR subject = $3 OR name = $4)`,
      [now, ...userMatch(user)],
    );
    return one(res).n;
  }

  async recordGroupCheck(id: string, groups: string[], tokens: OidcTokens, now: number): Promise<void> {
    await this.query(
      'UPDATE sessions SET groups = $1, groups_checked_at = $2, oidc_tokens = $3 WHERE id = $4 AND revoked_at IS NULL',
      [JSON.stringify(groups), now, JSON.stringify(tokens), id],
    );
  }
}

function one<R extends pg.QueryResultRow>(res: pg.QueryResult<R>): R {
  const r = res.rows[0];
  if (!r) throw new Error('PostgreSQL returned no row');
  return r;
}
