import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixedWindowLimiter } from './rate-limit';
import { requestAs, type TestUser } from './testing/session';

describe('fixedWindowLimiter', () => {
  it('allows `limit` hits per key per window, then says when to retry', () => {
    const l = fixedWindowLimiter({ limit: 2, windowMs: 60_000 });
    expect(l.hit('a', 0)).toEqual({ ok: true });
    expect(l.hit('a', 1)).toEqual({ ok: true });
    expect(l.hit('a', 10_000)).toEqual({ ok: false, retryAfterSeconds: 50 });
    expect(l.hit('b', 10_000)).toEqual({ ok: true });
    expect(l.hit('a', 60_000)).toEqual({ ok: true });
  });
});

describe('actions per user per minute', () => {
  type Post = (req: Request, ctx: unknown) => Promise<Response>;
  let POST: Post;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cc-rate-'));
    const file = path.join(dir, 'control-center.yaml');
    copyFileSync(path.resolve(__dirname, 'testdata/control-center.yaml'), file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('actionsPerMinute: 1000', 'actionsPerMinute: 3'));
    vi.stubEnv('CONTROL_CENTER_CONFIG', file);
    ({ POST } = (await import('@/app/api/v1/rollouts/[namespace]/[name]/[action]/route')) as unknown as {
      POST: Post;
    });
  });
  afterAll(() => vi.unstubAllEnvs());

  // An invalid body: refused by validation (422) without touching a cluster, but counted like any action.
  const send = async (user: TestUser) =>
    POST(
      await requestAs(user, 'http://cc.test/api/v1/rollouts/demo/webapp/promote', {
        method: 'POST',
        body: '{"x":1}',
        headers: { 'content-type': 'application/json' },
      }),
      { params: Promise.resolve({ namespace: 'demo', name: 'webapp', action: 'promote' }) },
    );

  it('answers 429 with Retry-After past the limit, per user', async () => {
    for (let i = 0; i < 3; i++) expect((await send('operator')).status).toBe(422);
    const limited = await send('operator');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // Another user has their own budget.
    expect((await send('admin')).status).toBe(422);
  });

  it('refused requests count too: a viewer gets 403 until the budget is spent, then 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await send('viewer')).status);
    expect(statuses).toEqual([403, 403, 403, 429, 429]);
  });
});
