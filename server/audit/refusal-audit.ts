import 'server-only';
import type Database from 'better-sqlite3';
import type { ActionRecord } from '../kube/action-hooks';
import { logAction } from './action-log';

/** A refused request of a signed-in user, as the audit log keeps it. */
export type Refusal = ActionRecord & { subject: string; error: NonNullable<ActionRecord['error']> };

interface Pending {
  id: number;
  subject: string;
  windowStart: number;
  /** Refusals in this window, and how many of them the row says already. */
  count: number;
  written: number;
}

export interface RefusalAuditOptions {
  db: () => Database.Database;
  /** How long repeated refusals of one key are folded into one row (default 60 s). */
  windowMs?: number;
  /** Keys kept in memory; past it, a user's refusals collapse into one key per user and status. */
  maxKeys?: number;
  /** Distinct keys one user may hold before their refusals collapse into their per-user key. */
  maxKeysPerSubject?: number;
  now?: () => number;
}

/**
 * Refusals, aggregated: per (subject, action, namespace, rollout, status and code) and window, the first refusal is
 * written at once; the ones after it only count in memory and are written as the row's `count` when the window
 * closes, when the key is refused again after it, or when the log is read (`flush`). Memory is bounded: past
 * `maxKeysPerSubject` keys of one user, or `maxKeys` in all, a user's refusals fold into one per-user key (action,
 * namespace and rollout `*`); past that the oldest key is written and dropped.
 */
export class RefusalAudit {
  private readonly pending = new Map<string, Pending>();
  private readonly perSubject = new Map<string, number>();
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly maxPerSubject: number;
  private readonly now: () => number;

  constructor(private readonly opts: RefusalAuditOptions) {
    this.windowMs = opts.windowMs ?? 60_000;
    this.maxKeys = opts.maxKeys ?? 5000;
    this.maxPerSubject = opts.maxKeysPerSubject ?? 32;
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Records one refusal; throws when a row that must be written now cannot be. */
  record(refusal: Refusal): void {
    const now = this.now();
    let rec: Refusal = refusal;
    let key = keyOf(rec);
    let p = this.pending.get(key);
    if (p && now - p.windowStart >= this.windowMs) {
      this.close(key, p);
      p = undefined;
    }
    if (!p) {
      const crowded =
        this.pending.size >= this.maxKeys || (this.perSubject.get(rec.subject) ?? 0) >= this.maxPerSubject;
      if (crowded) {
        rec = { ...rec, action: '*', namespace: '*', name: '*', body: null, context: '' };
        key = keyOf(rec);
        p = this.pending.get(key);
        if (p && now - p.windowStart >= this.windowMs) {
          this.close(key, p);
          p = undefined;
        }
      }
    }
    if (p) {
      p.count++;
      return;
    }
    if (this.pending.size >= this.maxKeys + Math.ceil(this.maxKeys / 4)) this.evictOldest();
    const id = logAction(this.opts.db(), { ...rec, timeline: false, count: 1 });
    this.pending.set(key, { id, subject: rec.subject, windowStart: now, count: 1, written: 1 });
    this.perSubject.set(rec.subject, (this.perSubject.get(rec.subject) ?? 0) + 1);
  }

  /** Writes every count not yet written (before the log is read) and drops the windows that have closed. */
  flush(): void {
    const now = this.now();
    for (const [key, p] of this.pending) {
      if (now - p.windowStart >= this.windowMs) this.close(key, p);
      else this.write(p);
    }
  }

  private write(p: Pending): void {
    if (p.count === p.written) return;
    this.opts.db().prepare('UPDATE actions SET count = ? WHERE id = ?').run(p.count, p.id);
    p.written = p.count;
  }

  private close(key: string, p: Pending): void {
    this.pending.delete(key);
    const n = (this.perSubject.get(p.subject) ?? 1) - 1;
    if (n > 0) this.perSubject.set(p.subject, n);
    else this.perSubject.delete(p.subject);
    this.write(p);
  }

  private evictOldest(): void {
    const first = this.pending.entries().next();
    if (!first.done) this.close(first.value[0], first.value[1]);
  }
}

const keyOf = (r: Refusal): string =>
  JSON.stringify([r.subject, r.context ?? '', r.action, r.namespace, r.name, r.error.status, r.error.code]);
