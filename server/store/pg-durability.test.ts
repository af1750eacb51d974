import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../testing/postgres';
import { StoreUnavailableError } from './postgres/pg-query';
import { PgStore } from './postgres/pg-store';
import { type ActionRecord, SINGLE_SCOPE } from './types';

/** Crashes of a real PostgreSQL server under the store (a server of this file's own: the test kills it). */
let server: TestPostgres;
let store: PgStore;
const reported: string[] = [];
beforeAll(async () => {
  server = await startTestPostgres();
  store = PgStore.open(await server.createDatabase(), { onIdleError: (err) => reported.push(err.message) });
  await store.migrate();
});
afterAll(async () => {
  await store?.close();
  await server?.stop();
});

const rec = (at: string): ActionRecord => ({
  action: 'promote',
  namespace: 'demo',
  name: 'webapp',
  body: { step: 1 },
  subject: 'local:alice',
  actor: 'alice',
  role: 'operator',
  at,
});

/** The promise's rejection, or a failure when it neither rejects nor resolves within `ms`. */
async function rejection(p: Promise<unknown>, ms: number): Promise<Error> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
  });
  try {
    await Promise.race([p, bound]);
  } catch (err) {
    return err as Error;
  } finally {
    clearTimeout(timer);
  }
  throw new Error('resolved, expected a rejection');
}

describe('postgres store durability', () => {
  it('an acknowledged audit row survives kill -9 of the postmaster; while it is down, actions are refused', async () => {
    const first = rec('2026-06-01T00:00:00.000Z');
    const patches = [
      { target: '/status' as const, method: 'PATCH' as const, type: 'merge' as const, patch: { a: 1 } },
    ];
    const id = await store.beginAction(first);
    await store.completeAction(
      id,
      { ...first, outcome: { result: {}, patch: { a: 1 }, target: '/status', patches } },
      SINGLE_SCOPE,
    );

    await server.kill();
    // The intent cannot be written: the action route answers 503 audit_unavailable and performs nothing. The pool
    // bounds the wait (3 s to connect); the 15 s here only keeps a hang from passing as a slow rejection.
    const down = await rejection(store.beginAction(rec('2026-06-01T00:00:01.000Z')), 15_000);
    expect(down).toBeInstanceOf(StoreUnavailableError);
    expect(down.message).toMatch(/^PostgreSQL: /);
    expect(down.message).not.toContain(server.password);
    await expect(store.ping()).rejects.toThrow(StoreUnavailableError);

    await server.restart();
    const rows = await store.queryAudit({ limit: 10, format: 'json', namespace: 'demo' });
    expect(rows.map((r) => [r.id, r.status, r.patch])).toEqual([[id, 200, patches]]);
    expect((await store.listTimeline(SINGLE_SCOPE, 'demo', 'webapp')).map((e) => e.key)).toEqual([
      'action/demo/webapp/2026-06-01T00:00:00.000Z/promote',
    ]);
    // The same store (its pool) works again without a restart of the control center.
    const next = await store.beginAction(rec('2026-06-01T00:00:02.000Z'));
    expect(next).toBeGreaterThan(id);
  });

  it('a server that stops answering (SIGSTOP) refuses actions within the pool bounds; after SIGCONT all goes on', async () => {
    await store.ping();
    server.freeze();
    try {
      // An open connection waits for its answer at most 6 s (statement bound + 1 s), a new one 3 s to connect.
      const hung = await rejection(store.beginAction(rec('2026-06-02T00:00:00.000Z')), 15_000);
      expect(hung).toBeInstanceOf(StoreUnavailableError);
      expect(hung.message).toMatch(/timeout/i);
    } finally {
      server.thaw();
    }
    await store.ping();
    const id = await store.beginAction(rec('2026-06-02T00:00:01.000Z'));
    const rows = await store.queryAudit({ limit: 10, format: 'json', since: '2026-06-02' });
    expect(rows.map((r) => r.id)).toContain(id);
  });
});
