import { describe, expect, it } from 'vitest';
import { openAuditDb } from './audit-db';
import { queryAudit } from './audit-query';
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
  const db = openAuditDb(':memory:');
  let t = 0;
  const audit = new RefusalAudit({ db: () => db, windowMs: 60_000, now: () => t, ...opts });
  const rows = () => queryAudit(db, { limit: 10_000, format: 'json' });
  return { db, audit, rows, at: (ms: number) => (t = ms) };
}

describe('refusals in the audit log', () => {
  it('50 refusals of one key in a minute: one row at once, its count written when the log is read', () => {
    const { audit, rows } = setup();
    audit.record(refusal());
    expect(rows().map((r) => [r.subject, r.status, r.count])).toEqual([['local:viewer', 403, 1]]);
    for (let i = 1; i < 50; i++) audit.record(refusal());
    expect(rows()).toHaveLength(1);
    audit.flush();
    expect(rows().map((r) => r.count)).toEqual([50]);
  });

  it('a new window starts a new row; the closed one keeps its count', () => {
    const { audit, rows, at } = setup();
    for (let i = 0; i < 3; i++) audit.record(refusal());
    at(61_000);
    audit.record(refusal());
    audit.record(refusal());
    audit.flush();
    expect(rows().map((r) => r.count)).toEqual([2, 3]);
  });

  it('keys differ by subject, rollout and refusal: each is its own row', () => {
    const { audit, rows } = setup();
    audit.record(refusal());
    audit.record(refusal({ subject: 'local:other', actor: 'viewer' }));
    audit.record(refusal({ name: 'cart' }));
    audit.record(refusal({ error: { status: 429, code: 'rate_limited', message: 'too many' } }));
    expect(rows()).toHaveLength(4);
  });

  it('a flood of distinct rollouts by one user folds into one per-user row; memory stays bounded', () => {
    const { audit, rows } = setup({ maxKeysPerSubject: 5, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) audit.record(refusal({ name: `r${i}` }));
    audit.flush();
    const all = rows();
    expect(all).toHaveLength(6);
    expect(all.reduce((n, r) => n + r.count, 0)).toBe(1000);
    expect(all.find((r) => r.rollout === '*')).toMatchObject({ action: '*', namespace: '*', count: 995 });
    expect(audit.size).toBe(6);
  });

  it('many users past the global bound: per-user rows, the map never past its hard bound', () => {
    const { audit, rows } = setup({ maxKeys: 20, maxKeysPerSubject: 50 });
    for (let u = 0; u < 200; u++)
      for (let i = 0; i < 3; i++) audit.record(refusal({ subject: `local:u${u}`, name: `r${i}` }));
    expect(audit.size).toBeLessThanOrEqual(25);
    audit.flush();
    expect(rows().reduce((n, r) => n + r.count, 0)).toBe(600);
  });

  it('a store that cannot be written throws (the caller logs it; the refusal still answers)', () => {
    const { db, audit } = setup();
    db.close();
    expect(() => audit.record(refusal())).toThrow();
  });
});
