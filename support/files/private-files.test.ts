import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDownTree, openPrivateLog, privateDatabase, privateDir, writePrivateFile } from './private-files';

const mode = (p: string) => fs.statSync(p).mode & 0o777;
let root: string;
let umask: number;

beforeEach(() => {
  // The umask most desktops run with: files 0644 and folders 0755 unless a mode is given explicitly.
  umask = process.umask(0o022);
  root = fs.mkdtempSync(path.join(tmpdir(), 'private-files-'));
});
afterEach(() => {
  process.umask(umask);
  fs.rmSync(root, { recursive: true, force: true });
});

describe('private files', () => {
  it('creates folders 0700 and files 0600 whatever the umask', () => {
    const dir = path.join(root, 'a', 'b');
    privateDir(dir);
    writePrivateFile(path.join(dir, 'secret'), 'x');
    const fd = openPrivateLog(path.join(dir, 'log'));
    fs.closeSync(fd);
    expect([mode(path.join(root, 'a')), mode(dir)]).toEqual([0o700, 0o700]);
    expect([mode(path.join(dir, 'secret')), mode(path.join(dir, 'log'))]).toEqual([0o600, 0o600]);
  });

  it('fixes an open folder and an open log that an older version left', () => {
    fs.mkdirSync(path.join(root, 'old'), { mode: 0o755 });
    fs.writeFileSync(path.join(root, 'old', 'log'), 'x', { mode: 0o644 });
    privateDir(path.join(root, 'old'));
    fs.closeSync(openPrivateLog(path.join(root, 'old', 'log')));
    expect([mode(path.join(root, 'old')), mode(path.join(root, 'old', 'log'))]).toEqual([0o700, 0o600]);
  });

  it('lockDownTree removes group and other bits everywhere, names what it changed, leaves symlinks alone', () => {
    fs.mkdirSync(path.join(root, 'logs', 'demo'), { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(root, 'logs', 'demo', 'c.log'), 'x', { mode: 0o644 });
    fs.writeFileSync(path.join(root, 'ok'), 'x', { mode: 0o600 });
    fs.writeFileSync(path.join(root, 'run'), 'x', { mode: 0o755 });
    const outside = path.join(fs.mkdtempSync(path.join(tmpdir(), 'private-outside-')), 'target');
    fs.writeFileSync(outside, 'x', { mode: 0o644 });
    fs.symlinkSync(outside, path.join(root, 'link'));
    fs.chmodSync(root, 0o755);
    const changed = lockDownTree(root);
    expect(changed.sort()).toEqual(['.', 'logs', 'logs/demo', 'logs/demo/c.log', 'run']);
    expect(mode(path.join(root, 'logs', 'demo', 'c.log'))).toBe(0o600);
    expect(mode(path.join(root, 'run'))).toBe(0o700);
    expect(mode(root)).toBe(0o700);
    expect(mode(outside)).toBe(0o644);
    expect(lockDownTree(root)).toEqual([]);
    fs.rmSync(path.dirname(outside), { recursive: true, force: true });
  });

  it('a SQLite database made private first gets -wal and -shm with its own 0600 mode', () => {
    const file = path.join(root, 'data', 'x.db');
    expect(privateDatabase(file)).toEqual([]);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT); INSERT INTO t VALUES (1)');
    expect(fs.existsSync(`${file}-wal`) && fs.existsSync(`${file}-shm`)).toBe(true);
    expect([mode(path.dirname(file)), mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([
      0o700, 0o600, 0o600, 0o600,
    ]);
    db.close();
  });

  it('without it SQLite follows the umask (why the explicit mode is needed), and privateDatabase fixes that', () => {
    const dir = path.join(root, 'old-data');
    fs.mkdirSync(dir, { mode: 0o755 });
    const file = path.join(dir, 'x.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT); INSERT INTO t VALUES (1)');
    expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o644, 0o644, 0o644]);
    expect(privateDatabase(file).sort()).toEqual([dir, file, `${file}-shm`, `${file}-wal`]);
    expect([mode(dir), mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([
      0o700, 0o600, 0o600, 0o600,
    ]);
    db.close();
  });
});
