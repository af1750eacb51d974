import 'server-only';
import type Database from 'better-sqlite3';
import type { TimelineEntry } from '@/lib/rollout/timeline';

type Row = Omit<TimelineEntry, 'details'> & { details: string | null };

/** Stores timeline entries once each (by key) and reads a rollout's history, newest first. */
export class TimelineStore {
  private readonly insert;
  private readonly select;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(
      'INSERT OR IGNORE INTO timeline (key, at, namespace, rollout, kind, source, summary, details) VALUES (@key, @at, @namespace, @rollout, @kind, @source, @summary, @details)',
    );
    this.select = db.prepare<[string, string, string, number], Row>(
      'SELECT key, at, namespace, rollout, kind, source, summary, details FROM timeline WHERE namespace = ? AND rollout = ? AND at < ? ORDER BY at DESC, rowid DESC LIMIT ?',
    );
  }

  add(entries: TimelineEntry[]): number {
    let added = 0;
    this.db.transaction(() => {
      for (const e of entries) {
        added += this.insert.run({ ...e, details: e.details ? JSON.stringify(e.details) : null }).changes;
      }
    })();
    return added;
  }

  list(namespace: string, rollout: string, opts: { before?: string; limit?: number } = {}): TimelineEntry[] {
    const rows = this.select.all(namespace, rollout, opts.before ?? '9999', opts.limit ?? 200);
    return rows.map((r) => ({
      ...r,
      kind: r.kind,
      details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : undefined,
    }));
  }
}
