import 'server-only';
import type { ActionRecord } from '../actions/action-record';
import { type ControlCenterStore, SINGLE_SCOPE } from '../store/types';

/** A refused request of a signed-in user, as the audit log keeps it. */
export type Refusal = ActionRecord & { subject: string; error: NonNullable<ActionRecord['error']> };

interface Pending {
  /** The row's id, once its insert returns. */
  id: Promise<number>;
  subject: string;
  windowStart: number;
  /** Refusals in this window, and how many of them the row says (or is being written to say). */
  count: number;
  written: number;
  /** The count writes of this row, one after the other (a later count never lands before an earlier one). */
  writes: Promise<void>;
}

export interface RefusalAuditOptions {
  store: () => ControlCenterStore;
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
 * namespace and rollout `*`); past that the oldest key is written and dropped. The counting is synchronous (a
 * refusal that arrives while the row's insert is under way counts into it); only the writes wait for the store.
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

  /** Records one refusal; rejects when a row that must be written now cannot be. */
  async record(refusal: Refusal): Promise<void> {
    const now = this.now();
    const closing: Promise<void>[] = [];
    let rec: Refusal = refusal;
    let key = keyOf(rec);
    let p = this.pending.get(key);
    if (p && now - p.windowStart >= this.windowMs) {
      closing.push(this.close(key, p));
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
          closing.push(this.close(key, p));
          p = undefined;
        }
      }
    }
    if (p) {
      p.count++;
      return settle(closing);
    }
    if (this.pending.size >= this.maxKeys + Math.ceil(this.maxKeys / 4)) closing.push(this.evictOldest());
    const id = this.opts.store().logAction({ ...rec, timeline: false, count: 1 }, SINGLE_SCOPE);
    const entry: Pending = {
      id,
      subject: rec.subject,
      windowStart: now,
      count: 1,
      written: 1,
      writes: Promise.resolve(),
    };
    this.pending.set(key, entry);
    this.perSubject.set(rec.subject, (this.perSubject.get(rec.subject) ?? 0) + 1);
    try {
      await id;
    } catch (err) {
      // No row: the next refusal of this key starts a new one (the ones counted meanwhile are lost with it).
      if (this.pending.get(key) === entry) this.forget(key, entry);
      await settle(closing).catch(() => undefined);
      throw err;
    }
    return settle(closing);
  }

  /** Writes every count not yet written (before the log is read) and drops the windows that have closed. */
  flush(): Promise<void> {
    const now = this.now();
    const writes: Promise<void>[] = [];
    for (const [key, p] of this.pending) {
      if (now - p.windowStart >= this.windowMs) writes.push(this.close(key, p));
      else writes.push(this.write(p));
    }
    return settle(writes);
  }

  private write(p: Pending): Promise<void> {
    if (p.count === p.written) return Promise.resolve();
    const before = p.written;
    const n = p.count;
    p.written = n;
    const run = p.writes
      .catch(() => undefined)
      .then(async () => this.opts.store().setActionCount(await p.id, n))
      .catch((err: unknown) => {
        // Written again by the next flush.
        if (p.written === n) p.written = before;
        throw err;
      });
    p.writes = run;
    return run;
  }

  private forget(key: string, p: Pending): void {
    this.pending.delete(key);
    const n = (this.perSubject.get(p.subject) ?? 1) - 1;
    if (n > 0) this.perSubject.set(p.subject, n);
    else this.perSubject.delete(p.subject);
  }

  private close(key: string, p: Pending): Promise<void> {
    this.forget(key, p);
    return this.write(p);
  }

  private evictOldest(): Promise<void> {
    const first = this.pending.entries().next();
    return first.done ? Promise.resolve() : this.close(first.value[0], first.value[1]);
  }
}

/** Waits for every write; rejects with the first failure once all have settled. */
async function settle(writes: Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(writes)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

const keyOf = (r: Refusal): string =>
  JSON.stringify([r.subject, r.context ?? '', r.action, r.namespace, r.name, r.error.status, r.error.code]);
