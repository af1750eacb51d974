import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openAuditDb } from '@/server/audit/audit-db';
import { setSessionsDb } from '@/server/auth/session-store';
import { requestAs, sessionCookie } from '@/server/auth/testing/session';

type Handler = (req: Request) => Promise<Response>;
let POST: Handler;
let rollouts: Handler;
const URL_ = 'http://cc.test/api/v1/sessions/revoke';

beforeAll(async () => {
  // A database of its own: the sessions counted here are this file's only.
  setSessionsDb(openAuditDb(path.join(mkdtempSync(path.join(tmpdir(), 'cc-revoke-')), 'cc.db')));
  ({ POST } = (await import('./route')) as unknown as { POST: Handler });
  ({ GET: rollouts } = (await import('@/app/api/v1/audit/route')) as unknown as { GET: Handler });
});

const revoke = async (as: 'admin' | 'operator' | 'viewer', body: unknown) =>
  POST(
    await requestAs(as, URL_, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
/** The status a cookie gets from an admin-only read (401 = no session). */
const statusWith = async (cookie: string) =>
  (await rollouts(new Request('http://cc.test/api/v1/audit', { headers: { cookie } }))).status;

describe('POST /api/v1/sessions/revoke', () => {
  it('an admin ends every session of a user at once; other users keep theirs', async () => {
    const o1 = await sessionCookie('operator');
    const o2 = await sessionCookie('operator');
    const admin = await sessionCookie('admin');
    // The operator is signed in (403 from the admins' audit log, not 401).
    expect(await statusWith(o1)).toBe(403);
    const res = await revoke('admin', { username: 'operator' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ username: 'operator', revoked: 2 });
    for (const c of [o1, o2]) {
      const r = await rollouts(new Request('http://cc.test/api/v1/audit', { headers: { cookie: c } }));
      expect(r.status).toBe(401);
      expect(((await r.json()) as { error: { message: string } }).error.message).toBe(
        'this session was ended (signed out or revoked): sign in again',
      );
    }
    expect(await statusWith(admin)).toBe(200);
  });

  it('operators and viewers are refused (403) and nothing is revoked', async () => {
    const admin = await sessionCookie('admin');
    for (const who of ['operator', 'viewer'] as const) {
      const res = await revoke(who, { username: 'admin' });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        `the audit log is for admins (you are ${who})`,
      );
    }
    expect(await statusWith(admin)).toBe(200);
  });

  it('a bad body is a 422 naming the field, and changes nothing', async () => {
    const admin = await sessionCookie('admin');
    for (const body of [{}, { username: '' }, { username: 5 }, { username: 'admin', extra: 1 }]) {
      const res = await revoke('admin', body);
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/username|extra/);
    }
    expect(await statusWith(admin)).toBe(200);
  });
});
