import { beforeAll, describe, expect, it } from 'vitest';
import { PAGE_BODY_PATH } from '@/lib/security-headers';

let atTheEdge: typeof import('./edge').atTheEdge;

beforeAll(async () => {
  // This file's server is served at an https public URL (env() reads it once).
  process.env.AUTH_URL = 'https://cc.example.test';
  ({ atTheEdge } = await import('./edge'));
});

/** A route that says whether it ran. */
function route() {
  const seen = { ran: false };
  return {
    seen,
    run: async () => {
      seen.ran = true;
      return Response.json({ ok: true });
    },
  };
}

const post = (path: string, headers: Record<string, string> = {}, body: BodyInit | null = '{}') =>
  new Request(`http://cc.test${path}`, { method: 'POST', headers, body });

describe('atTheEdge', () => {
  it('refuses a Server Function call before the route runs', async () => {
    const r = route();
    const res = await atTheEdge(
      post('/api/v1/rollouts/demo/webapp/promote', { 'next-action': 'abc' }),
      r.run,
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('server_function_refused');
    expect(r.seen.ran).toBe(false);
  });

  it('refuses a declared body over 64 KiB before the route runs', async () => {
    const r = route();
    const res = await atTheEdge(
      post('/api/auth/callback/credentials', { 'content-length': '20971520' }),
      r.run,
    );
    expect(res.status).toBe(413);
    expect(r.seen.ran).toBe(false);
  });

  it('answers a page request with a body (rewritten to PAGE_BODY_PATH) as a page would: 405, or 400 for GET', async () => {
    const r = route();
    const res = await atTheEdge(
      post(PAGE_BODY_PATH, { 'content-type': 'multipart/form-data; boundary=x' }),
      r.run,
    );
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    const get = await atTheEdge(new Request(`http://cc.test${PAGE_BODY_PATH}`), r.run);
    expect(get.status).toBe(400);
    // After the rewrite the handler sees the page's own URL, a Next-Action header included: still the page answer.
    const page = await atTheEdge(post('/audit', { 'next-action': 'abc' }), r.run);
    expect(page.status).toBe(405);
    expect(await page.text()).toContain('pages answer GET and HEAD only');
    expect(r.seen.ran).toBe(false);
  });

  it('lets the rest through to the route, and adds HSTS for an https public URL', async () => {
    const r = route();
    const res = await atTheEdge(post('/api/v1/rollouts/demo/webapp/promote'), r.run);
    expect(r.seen.ran).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  it('copies a response whose headers cannot change (a redirect, a fetched one) to add HSTS', async () => {
    const frozen = Response.redirect('http://cc.test/login'); // headers of the "immutable" kind
    const res = await atTheEdge(new Request('http://cc.test/api/health'), async () => frozen);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });
});
