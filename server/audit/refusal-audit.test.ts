import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { type Refusal, RefusalAudit } from './refusal-audit';

const refusal = (over: Partial<Refusal> = {}): Refusal => ({
  action: 'promote',
  namespace: 'demo',
  name: 'webapp',
  body: null,
  at: '2026-01-01T10:00:00.000Z',
  subject: 'local:viewer',
  actor: 'viewer',
  role: 'viewer',
  error: { status: 403, code: 'forbidden', message: 'your role (viewer) is read-only: ask an operator' },
  ...over,
});

function setup(opts: { maxKeys?: number; maxKeysPerSubject?: number } = {}) {
  const store = SqliteStore.open(':memory:');
  let t = 0;
  const audit = new RefusalAudit({ store: () => store, windowMs: 60_000, now: () => t, ...opts });
  const rows = () => store.queryAudit({ limit: 10_000, format: 'json' });
  return { db: store.db, audit, rows, at: (ms: number) => (t = ms) };
}

describe('refusals in the audit log', () => {
  it('50 refusals of one key in a minute: one row at once, its count written when the log is read', async () => {
    const { audit, rows } = setup();
    await audit.record(refusal());
    expect((await rows()).map((r) => [r.subject, r.status, r.count])).toEqual([['local:viewer', 403, 1]]);
    for (let i = 1; i < 50; i++) await audit.record(refusal());
    expect(await rows()).toHaveLength(1);
    await audit.flush();
    expect((await rows()).map((r) => r.count)).toEqual([50]);
  });

  it('a new window starts a new row; the closed one keeps its count', async () => {
    const { audit, rows, at } = setup();
    for (let i = 0; i < 3; i++) await audit.record(refusal());
    at(61_000);
    await audit.record(refusal());
    await audit.record(refusal());
    await audit.flush();
    expect((await rows()).map((r) => r.count)).toEqual([2, 3]);
  });

  it('keys differ by subject, rollout and refusal: each is its own row', async () => {
    const { audit, rows } = setup();
    await audit.record(refusal());
    await audit.record(refusal({ subject: 'local:other', actor: 'viewer' }));
    await audit.record(refusal({ name: 'cart' }));
    await audit.record(refusal({ error: { status: 429, code: 'rate_limited', message: 'too many' } }));
    expect(await rows()).toHaveLength(4);
  });

  it('a flood of distinct rollouts by one user folds into one per-user row; memory stays bounded', async () => {
    const { audit, rows } = setup({ maxKeysPerSubject: 5, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) await audit.record(refusal({ name: `r${i}` }));
    await audit.flush();
    const all = await rows();
    expect(all).toHaveLength(6);
    expect(all.reduce((n, r) => n + r.count, 0)).toBe(1000);
    expect(all.find((r) => r.rollout === '*')).toMatchObject({ action: '*', namespace: '*', count: 995 });
    expect(audit.size).toBe(6);
  });

  it('many users past the global bound: per-user rows, the map never past its hard bound', async () => {
    const { audit, rows } = setup({ maxKeys: 20, maxKeysPerSubject: 50 });
    for (let u = 0; u < 200; u++)
      for (let i = 0; i < 3; i++) await audit.record(refusal({ subject: `local:u${u}`, name: `r${i}` }));
    expect(audit.size).toBeLessThanOrEqual(25);
    await audit.flush();
    expect((await rows()).reduce((n, r) => n + r.count, 0)).toBe(600);
  });

  it('a store that cannot be written rejects (the caller logs it; the refusal still answers)', async () => {
    const { db, audit } = setup();
    db.close();
    await expect(audit.record(refusal())).rejects.toThrow(/not open/);
    // No row, no window: the next refusal of the key tries to write its row again.
    expect(audit.size).toBe(0);
  });

  it('refusals arriving while the first row of their key is written count into that row', async () => {
    const { audit, rows } = setup();
    await Promise.all(Array.from({ length: 10 }, () => audit.record(refusal())));
    await audit.flush();
    expect((await rows()).map((r) => r.count)).toEqual([10]);
  });
});
