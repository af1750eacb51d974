import { beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'judge-token-for-tests-0123456789';
let GET: (req: Request) => Promise<Response>;

beforeAll(async () => {
  process.env.JUDGE_TOKEN = TOKEN;
  process.env.PROMETHEUS_URL = '';
  process.env.KUBECONFIG = '/nonexistent/kubeconfig';
  ({ GET } = await import('./route'));
});

const call = (query: string, auth: string | null = `Bearer ${TOKEN}`) =>
  GET(
    new Request(`http://localhost/api/v1/judge?${query}`, { headers: auth ? { authorization: auth } : {} }),
  );

describe('GET /api/v1/judge', () => {
  it('answers 401 without the bearer token or with a wrong one', async () => {
    for (const auth of [null, 'Bearer nope', `Basic ${TOKEN}`]) {
      const res = await call('namespace=demo&rollout=webapp', auth);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: 'unauthorized', message: 'send Authorization: Bearer <JUDGE_TOKEN>' },
      });
    }
  });

  it('answers 422 naming the bad field', async () => {
    const res = await call('namespace=Demo_1&rollout=webapp');
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toMatch(/^invalid query: namespace: must be a DNS-1123 label/);
    const extra = await call('namespace=demo&rollout=webapp&p95MaxMs=-3');
    expect(((await extra.json()) as { error: { message: string } }).error.message).toContain('p95MaxMs');
    const missing = await call('namespace=demo');
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain(
      'rollout: give rollout, or canaryService + stableService + since',
    );
  });

  it('pauses, never promotes, when no metrics source is configured', async () => {
    const res = await call(
      `namespace=demo&canaryService=webapp-canary&stableService=webapp-stable&since=${Math.floor(Date.now() / 1000) - 60}`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { verdict: string; dataIssues: string[]; metrics: string };
    expect(body.verdict).toBe('pause');
    expect(body.metrics).toBe('none');
    expect(body.dataIssues[0]).toMatch(/no metrics source/);
  });
});
