import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { SINGLE_SCOPE } from '../store/types';
import { openAuditDb } from './audit-db';
import { TimelineStore } from './timeline-store';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-timeline-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const entry = (key: string, at: string): TimelineEntry => ({
  key,
  at,
  namespace: 'demo',
  rollout: 'webapp',
  kind: 'step',
  source: 'controller',
  summary: key,
});

describe('timeline store and kube contexts', () => {
  it('a database written before contexts existed is migrated; its entries stay with the default context', async () => {
    const file = path.join(dir, 'old.db');
    const old = new Database(file);
    old.exec(`CREATE TABLE timeline (key TEXT PRIMARY KEY, at TEXT NOT NULL, namespace TEXT NOT NULL, rollout TEXT NOT NULL,
      kind TEXT NOT NULL, source TEXT NOT NULL, summary TEXT NOT NULL, details TEXT);
      CREATE TABLE actions (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT,
      action TEXT NOT NULL, namespace TEXT NOT NULL, rollout TEXT NOT NULL, request TEXT, patch TEXT, target TEXT,
      status INTEGER NOT NULL, error TEXT);
      INSERT INTO timeline VALUES ('before', '2026-01-01T00:00:00.000Z', 'demo', 'webapp', 'step', 'rollout', 'before', NULL);`);
    old.close();
    const db = openAuditDb(file);
    const s = SqliteStore.fromDb(db);
    expect((await new TimelineStore(SINGLE_SCOPE, s).list('demo', 'webapp')).map((e) => e.key)).toEqual([
      'before',
    ]);
    const prod = new TimelineStore({ context: 'prod', readsUntagged: true }, s);
    const staging = new TimelineStore({ context: 'staging', readsUntagged: false }, s);
    expect((await prod.list('demo', 'webapp')).map((e) => e.key)).toEqual(['before']);
    expect(await staging.list('demo', 'webapp')).toEqual([]);
    db.close();
  });

  it('the same rollout in two contexts keeps two histories, even with equal entry keys', async () => {
    const db = openAuditDb(path.join(dir, 'two.db'));
    const s = SqliteStore.fromDb(db);
    const prod = new TimelineStore({ context: 'prod', readsUntagged: true }, s);
    const staging = new TimelineStore({ context: 'staging', readsUntagged: false }, s);
    expect(await prod.add([entry('step/1', '2026-01-01T00:00:01.000Z')])).toBe(1);
    expect(await staging.add([entry('step/1', '2026-01-01T00:00:02.000Z')])).toBe(1);
    expect(await staging.add([entry('step/1', '2026-01-01T00:00:02.000Z')])).toBe(0);
    expect((await prod.list('demo', 'webapp')).map((e) => [e.key, e.at])).toEqual([
      ['step/1', '2026-01-01T00:00:01.000Z'],
    ]);
    expect((await staging.list('demo', 'webapp')).map((e) => [e.key, e.at])).toEqual([
      ['step/1', '2026-01-01T00:00:02.000Z'],
    ]);
    db.close();
  });
});
