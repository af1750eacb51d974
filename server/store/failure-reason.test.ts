import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { storeFailureReason } from './failure-reason';

describe('storeFailureReason', () => {
  it('classifies a real SQLite lock held by another connection, and never repeats the file path', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cc-reason-')), 'secret-name.db');
    const a = new Database(file);
    a.exec('CREATE TABLE t (x)');
    const b = new Database(file, { timeout: 0 });
    a.exec('BEGIN EXCLUSIVE');
    let err: unknown;
    try {
      b.exec('INSERT INTO t VALUES (1)');
    } catch (e) {
      err = e;
    }
    a.exec('ROLLBACK');
    expect(storeFailureReason(err)).toBe('the database is locked');
    a.close();
    b.close();
    let closed: unknown;
    try {
      b.exec('SELECT 1');
    } catch (e) {
      closed = e;
    }
    expect(storeFailureReason(closed)).toBe('the database is closed');
  });

  it.each([
    [
      { message: 'PostgreSQL: connect ECONNREFUSED 10.1.2.3:5432', cause: { code: 'ECONNREFUSED' } },
      'unreachable',
    ],
    [{ message: 'PostgreSQL: Query read timeout' }, 'did not answer in time'],
    [{ message: 'canceling statement due to statement timeout', code: '57014' }, 'did not answer in time'],
    [{ message: 'could not extend file: No space left on device', code: '53100' }, 'disk is full'],
    [{ message: 'database or disk is full', code: 'SQLITE_FULL' }, 'disk is full'],
    [{ message: 'password authentication failed for user "cc"', code: '28P01' }, 'write failed'],
  ])('%j → %s', (err, reason) => {
    const said = storeFailureReason(err);
    expect(said).toContain(reason);
    expect(said).not.toMatch(/10\.1\.2\.3|cc"|device/);
  });
});
