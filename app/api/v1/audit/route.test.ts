import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { logAction } from '@/server/audit/action-log';
import { openAuditDb, setAuditDb } from '@/server/audit/audit-db';
import { requestAs } from '@/server/auth/testing/session';
import { GET } from './route';

beforeAll(async () => {
  const db = openAuditDb(path.join(mkdtempSync(path.join(tmpdir(), 'cc-audit-')), 'audit.db'));
  setAuditDb(db);
  const patch = { status: { abort: true } };
  const outcome = {
    result: {},
    patch,
    target: '/status' as const,
    patches: [{ target: '/status' as const, method: 'PATCH' as const, patch }],
  };
  await logAction({
    action: 'abort',
    namespace: 'demo',
    name: 'webapp',
    body: {},
    at: '2025-01-01T10:00:00.000Z',
    actor: 'alice',
    role: 'operator',
    outcome,
  });
  await logAction({
    action: 'promote',
    namespace: 'shop',
    name: 'cart',
    body: {},
    at: '2025-01-02T10:00:00.000Z',
    actor: 'bob',
    role: 'admin',
    outcome,
  });
  await logAction({
    action: 'abort',
    namespace: 'demo',
    name: 'webapp',
    body: null,
    at: '2025-01-03T10:00:00.000Z',
    actor: 'carol',
    role: 'viewer',
    error: { status: 403, code: 'forbidden', message: 'read-only' },
    timeline: false,
  });
});

// biome-ignore lint/suspicious/noExplicitAny: test assertions walk the JSON freely
const get = async (q: string): Promise<{ status: number; json: any; res: Response }> => {
  const res = await GET(await requestAs('admin', `http://cc.test/api/v1/audit${q}`));
  return {
    status: res.status,
    res,
    json: res.headers.get('content-type')?.includes('json') && !q.includes('jsonl') ? await res.json() : null,
  };
};

describe('GET /api/v1/audit (admins)', () => {
  it('lists newest first with actor, role, the exact patch and the result', async () => {
    const { json } = await get('');
    expect(json.items.map((i: { actor: string }) => i.actor)).toEqual(['carol', 'bob', 'alice']);
    expect(json.items[2]).toMatchObject({
      actor: 'alice',
      role: 'operator',
      patch: [{ target: '/status', method: 'PATCH', patch: { status: { abort: true } } }],
      status: 200,
      target: '/status',
    });
    expect(json.items[0]).toMatchObject({ status: 403, error: 'forbidden: read-only' });
  });

  it('filters by user, namespace, action and time (empty filters ignored)', async () => {
    const actors = async (q: string) => (await get(q)).json.items.map((i: { actor: string }) => i.actor);
    expect(await actors('?user=alice')).toEqual(['alice']);
    expect(await actors('?namespace=shop')).toEqual(['bob']);
    expect(await actors('?action=abort&user=')).toEqual(['carol', 'alice']);
    expect(await actors('?since=2025-01-02&until=2025-01-02')).toEqual(['bob']);
    expect(await actors('?since=2025-01-02T12:00:00Z')).toEqual(['carol']);
  });

  it('exports JSON lines', async () => {
    const { res } = await get('?format=jsonl&namespace=demo');
    expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="audit-.*\.jsonl"/);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { actor: string });
    expect(lines.map((l) => l.actor)).toEqual(['carol', 'alice']);
  });

  it('422 naming a bad filter', async () => {
    for (const [q, field] of [
      ['?namespace=Bad_NS', 'namespace'],
      ['?action=explode', 'action'],
      ['?since=yesterday', 'since'],
      ['?limit=0', 'limit'],
      ['?sql=1', 'sql'],
    ]) {
      const { status, json } = await get(q as string);
      expect(status, q).toBe(422);
      expect(json.error.details[0].field).toBe(field);
    }
  });
});
