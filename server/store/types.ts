import type { TimelineEntry } from '@/lib/rollout/timeline';
import type { AuditEntry, AuditQuery } from '@/lib/schemas/audit';
import type { ActionRecord } from '../actions/action-record';

export type { ActionRecord, AuditEntry, AuditQuery, TimelineEntry };

/**
 * Which kube context a timeline is written and read for. With one context it is '' (as before contexts existed);
 * with several, the context's name, and the default context also reads the '' entries written while it was the
 * only one.
 */
export interface TimelineScope {
  context: string;
  readsUntagged: boolean;
}

/** The scope of a control center with one kube context. */
export const SINGLE_SCOPE: TimelineScope = { context: '', readsUntagged: true };

/** The provider's tokens of an OIDC session (kept server side, never in the cookie). */
export interface OidcTokens {
  accessToken: string;
  refreshToken?: string;
  /** When the access token expires (ms since the epoch), when the provider said. */
  expiresAt?: number;
}

/**
 * The server side of a session: the cookie carries only its id. Times are ms since the epoch. Its absolute expiry
 * is fixed at sign-in and never moves; sign-out and an admin's revocation set revokedAt.
 */
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

/** What sign-in knows of a new session. */
export interface NewSession {
  subject: string;
  name: string;
  provider: 'local' | 'oidc';
  maxAgeSeconds: number;
  groups?: string[];
  oidcTokens?: OidcTokens;
}

/**
 * The sessions table. `now` is always passed by the caller (ms since the epoch; one clock for every replica's
 * checks). A user (revokeOf, liveOf) is a local username, an OIDC subject with or without its `oidc:` prefix, or
 * an OIDC user's name.
 */
export interface SessionStore {
  /** A new session (random id); also deletes rows expired for more than a day. */
  create(s: NewSession, now: number): Promise<SessionRow>;
  get(id: string): Promise<SessionRow | null>;
  /** Ends one session (sets revokedAt/revokedBy, drops its OIDC tokens); a revoked session stays as it was. */
  revoke(id: string, by: string, now: number): Promise<void>;
  /** Ends every live (not revoked, not expired) session of a user; how many ended. */
  revokeOf(user: string, by: string, now: number): Promise<number>;
  /** How many live sessions a user has (the same matching as revokeOf). */
  liveOf(user: string, now: number): Promise<number>;
  /** Stores the result of a group check at the provider (groups, tokens, when); nothing for a revoked session. */
  recordGroupCheck(id: string, groups: string[], tokens: OidcTokens, now: number): Promise<void>;
}

/**
 * Everything the control center keeps: the audit log (actions and refusals), the decision timeline and the
 * sessions. One interface, one implementation per database (embedded SQLite, or PostgreSQL shared by replicas).
 * Every method rejects when the database cannot be reached or written; callers decide what that means (an action
 * is refused, a refusal still answers, a verdict is still returned).
 */
export interface ControlCenterStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Brings the schema to the latest version; safe when several processes start at once. */
  migrate(): Promise<void>;
  /** Writes the intent of an action (status PENDING_STATUS) before it is performed; its row id. */
  beginAction(r: ActionRecord): Promise<number>;
  /** Completes an intent row with the outcome and adds it to the timeline of `scope` (unless r.timeline false). */
  completeAction(id: number, r: ActionRecord, scope: TimelineScope): Promise<void>;
  /** Writes a finished action or a refusal in one row (and to the timeline of `scope` unless r.timeline false). */
  logAction(r: ActionRecord, scope: TimelineScope): Promise<number>;
  /** Sets how many refusals an aggregated row stands for. */
  setActionCount(id: number, n: number): Promise<void>;
  /** The audit log, newest first (`at` then id), filtered as the query says; at most q.limit entries. */
  queryAudit(q: AuditQuery): Promise<AuditEntry[]>;
  /** Stores entries once each by (key, scope context); how many were new. All or none are written. */
  addTimeline(s: TimelineScope, e: TimelineEntry[]): Promise<number>;
  /** A rollout's timeline, newest first (`at`, then the later write first); `before` is exclusive on `at`. */
  listTimeline(
    s: TimelineScope,
    namespace: string,
    rollout: string,
    o?: { before?: string; limit?: number },
  ): Promise<TimelineEntry[]>;
  readonly sessions: SessionStore;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
