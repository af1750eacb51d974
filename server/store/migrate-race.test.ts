import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_LATEST } from './sqlite/sqlite-migrate';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-migrate-race-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SCRIPT = path.join(__dirname, 'sqlite', 'migrate-once.test-support.ts');

interface Run {
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function start(file: string, go: string): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, file, go], {
    cwd: path.resolve(__dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let onReady = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.startsWith('ready\n')) onReady();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => {
      onReady();
      resolve({ code, stdout, stderr });
    }),
  );
  return { child, ready, done };
}

describe('SQLite migrations, four processes at once', () => {
  it('four real processes migrate one fresh file: all exit 0, each step applied once, version latest', async () => {
    const file = path.join(dir, 'data', 'control-center.db');
    const go = path.join(dir, 'go');
    const runs = Array.from({ length: 4 }, () => start(file, go));
    try {
      // Every process is loaded and polling before any of them opens the file.
      await Promise.all(runs.map((r) => r.ready));
      fs.writeFileSync(go, '');
      const results = await Promise.all(runs.map((r) => r.done));
      for (const r of results) {
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
      }
      const reports = results.map(
        (r) => JSON.parse(r.stdout.split('\n')[1] ?? '') as { from: number; version: number },
      );
      expect(reports.map((r) => r.version)).toEqual([
        SQLITE_LATEST,
        SQLITE_LATEST,
        SQLITE_LATEST,
        SQLITE_LATEST,
      ]);
      // One process found the file empty and applied every step; the others found it done.
      expect(reports.map((r) => r.from).sort()).toEqual([0, SQLITE_LATEST, SQLITE_LATEST, SQLITE_LATEST]);
    } finally {
      for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    }
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_LATEST);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const objects = db
      .prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
      .all();
    db.close();
    expect(objects).toEqual([
      { type: 'index', name: 'actions_at' },
      { type: 'index', name: 'actions_rollout' },
      { type: 'index', name: 'actions_subject' },
      { type: 'index', name: 'sessions_expires' },
      { type: 'index', name: 'sessions_subject' },
      { type: 'index', name: 'timeline_rollout' },
      { type: 'table', name: 'actions' },
      { type: 'table', name: 'sessions' },
      { type: 'table', name: 'timeline' },
    ]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });
});
