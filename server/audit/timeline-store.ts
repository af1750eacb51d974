import 'server-only';
import type Database from 'better-sqlite3';
import type { TimelineEntry } from '@/lib/rollout/timeline';

type Row = Omit<TimelineEntry, 'details'> & { details: string | null };

/**
 * Which kube context a store writes and reads. With one context it is '' (as before contexts existed); with several,
 * the context's name, and the default context also reads the '' entries written while it was the only one.
 */
export interface TimelineScope {
  context: string;
  readsUntagged: boolean;
}

const SINGLE: TimelineScope = { context: '', readsUntagged: true };

/** Stores timeline entries once each (by key and context) and reads a rollout's history, newest first. */
export class TimelineStore {
  private readonly insert;
  private readonly select;

  constructor(
    private readonly db: Database.Database,
    private readonly scope: TimelineScope = SINGLE,
  ) {
    this.insert = db.prepare(
      'INSERT OR IGNORE INTO timeline (key, at, namespace, rollout, kind, source, summary, details, context) VALUES (@key, @at, @namespace, @rollout, @kind, @source, @summary, @details, @context)',
    );
    this.select = db.prepare<[string, string, string, string, string, number], Row>(
      'SELECT key, at, namespace, rollout, kind, source, summary, details FROM timeline WHERE context IN (?, ?) AND namespace = ? AND rollout = ? AND at < ? ORDER BY at DESC, rowid DESC LIMIT ?',
    );
  }

  add(entries: TimelineEntry[]): number {
    const { context } = this.scope;
    let added = 0;
    this.db.transaction(() => {
      for (const e of entries) {
        added += this.insert.run({
          ...e,
          // The key is unique per context: the same rollout in two clusters keeps two histories.
          key: context ? `${context}|${e.key}` : e.key,
          details: e.details ? JSON.stringify(e.details) : null,
          context,
        }).changes;
      }
    })();
    return added;
  }

  list(namespace: string, rollout: string, opts: { before?: string; limit?: number } = {}): TimelineEntry[] {
    const { context, readsUntagged } = this.scope;
    const prefix = context ? `${context}|` : '';
    const rows = this.select.all(
      context,
      readsUntagged ? '' : context,
      namespace,
      rollout,
      opts.before ?? '9999',
      opts.limit ?? 200,
    );
    return rows.map((r) => ({
      ...r,
      key: prefix && r.key.startsWith(prefix) ? r.key.slice(prefix.length) : r.key,
      kind: r.kind,
      details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : undefined,
    }));
  }
}
