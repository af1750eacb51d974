import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../test/load.js';
import { killAll, spawnServer, startServer } from '../test/server-harness.js';

afterEach(killAll);

describe('endpoints', () => {
  it('serves the page, work, flags, probes and 404s', async () => {
    const server = await startServer({ VERSION: 'v1.1' });
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('v1.1');
    expect(html).toContain('#f59e0b');

    const work = await fetch(`${server.url}/api/work`);
    expect(work.status).toBe(200);
    const body = (await work.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      version: 'v1.1',
      hostname: expect.any(String),
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    expect(await (await fetch(`${server.url}/api/flags`)).json()).toEqual({ version: 'v1.1', flags: {} });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/work`, { method: 'POST' })).status).toBe(405);
  });

  it('answers /readyz 503 during warm-up, then 200; /healthz is 200 throughout', async () => {
    const server = await startServer({ WARMUP_MS: '800' });
    const startedAt = Date.now();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await waitUntil(async () => (await fetch(`${server.url}/readyz`)).status === 200, 3000, 25);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(500);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ FAULT_ERROR_RATE: '2' }, 'FAULT_ERROR_RATE'],
    [{ WARMUP_MS: 'soon' }, 'WARMUP_MS'],
  ])('refuses to start with bad env %j, naming %s', async (env, name) => {
    const child = spawnServer(env);
    const { code } = await child.exited;
    expect(code).not.toBe(0);
    expect(child.stderr()).toContain(name);
    expect(child.stderr()).toContain('invalid environment');
    expect(child.stdout()).not.toContain('"started"');
  });
});
