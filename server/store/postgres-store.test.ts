import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../testing/postgres';
import { storeContract } from './contract';
import { PG_MIGRATIONS } from './postgres/pg-migrate';
import { PgStore } from './postgres/pg-store';
import { postgresStoreFromEnv } from './postgres/select';
import { type ControlCenterStore, SINGLE_SCOPE } from './types';

/** The store contract and PostgreSQL's own concerns, on a real PostgreSQL server (one for this file). */
let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});

storeContract('postgres', async () => PgStore.open(await server.createDatabase()));

const MIGRATE_PROCESS = path.join(__dirname, 'postgres/testing/migrate-process.ts');

/** Runs `n` processes that each migrate `url` at the same moment; their outputs once all have exited. */
async function migrateRace(
  url: string,
  n: number,
): Promise<Array<{ code: number | null; out: string; err: string }>> {
  const children = Array.from({ length: n }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MIGRATE_PROCESS, url], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const run = { child, out: '', err: '', ready: undefined as unknown as Promise<void> };
    run.ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        run.out += d.toString();
        if (run.out.includes('ready\n')) resolve();
      });
      child.once('exit', (code) =>
        reject(new Error(`migrate process exited (${code}) before ready:\n${run.err}`)),
      );
    });
    child.stderr.on('data', (d: Buffer) => {
      run.err += d.toString();
    });
    return run;
  });
  const exits = children.map(
    (c) => new Promise<number | null>((resolve) => c.child.once('exit', (code) => resolve(code))),
  );
  try {
    await Promise.all(children.map((c) => c.ready));
  } finally {
    for (const c of children) c.child.stdin.end('go\n');
  }
  const codes = await Promise.all(exits);
  return children.map((c, i) => ({ code: codes[i] ?? null, out: c.out, err: c.err }));
}

describe('postgres store', () => {
  it('DATABASE_URL selects it; it migrates a fresh database before its first query; the log hides the password', async () => {
    expect(postgresStoreFromEnv(undefined)).toBeUndefined();
    const url = await server.createDatabase();
    const logged: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      logged.push(args.join(' '));
    });
    let store: ControlCenterStore | undefined;
    try {
      store = postgresStoreFromEnv(url);
    } finally {
      log.mockRestore();
    }
    try {
      expect(store?.kind).toBe('postgres');
      expect(logged.join('\n')).toContain(
        `store: PostgreSQL at postgres://postgres:***@127.0.0.1:${server.port}/`,
      );
      expect(logged.join('\n')).not.toContain(server.password);
      const id = await store?.logAction(
        { action: 'abort', namespace: 'first', name: 'webapp', body: null, at: '2026-05-02T00:00:00.000Z' },
        SINGLE_SCOPE,
      );
      expect((await store?.queryAudit({ limit: 5, format: 'json' }))?.map((r) => r.id)).toEqual([id]);
    } finally {
      await store?.close();
    }
  });

  it('four processes migrating one fresh database at once: all succeed, each version is applied once', async () => {
    const url = await server.createDatabase();
    const results = await migrateRace(url, 4);
    for (const r of results) expect(r, r.err).toMatchObject({ code: 0 });
    const applied = results.flatMap(
      (r) =>
        (JSON.parse(r.out.split('\n').find((l) => l.startsWith('{')) ?? '{}') as { applied: number[] })
          .applied,
    );
    const latest = PG_MIGRATIONS.map((m) => m.version);
    expect(applied.sort()).toEqual(latest);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rows = await client.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(rows.rows.map((r) => r.version)).toEqual(latest);
    } finally {
      await client.end();
    }
  });

  it('a connection dropped while idle is reported, not fatal; the next call opens a new one', async () => {
    const url = await server.createDatabase();
    const reported: string[] = [];
    const store = PgStore.open(url, { onIdleError: (err) => reported.push(err.message) });
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    try {
      await store.migrate();
      await store.ping();
      const dbName = new URL(url).pathname.slice(1);
      const killed = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [dbName],
      );
      expect(killed.rowCount).toBeGreaterThan(0);
      await waitFor(() => reported.length > 0, 'the pool to report its idle connection error');
      expect(reported[0]).toMatch(/terminat/i);
      const id = await store.beginAction({
        action: 'promote',
        namespace: 'demo',
        name: 'webapp',
        body: null,
        at: '2026-05-01T00:00:00.000Z',
      });
      expect((await store.queryAudit({ limit: 10, format: 'json' })).map((r) => r.id)).toEqual([id]);
      expect(await store.listTimeline(SINGLE_SCOPE, 'demo', 'webapp')).toEqual([]);
    } finally {
      await admin.end();
      await store.close();
    }
  });
});

async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
