import { beforeAll, describe, expect, it } from 'vitest';

/** The thresholds of GET /api/v1/judge: bad AnalysisTemplate args are 422s naming them; the answer says the source. */
const TOKEN = 'judge-token-for-tests-0123456789';
let GET: (req: Request) => Promise<Response>;

beforeAll(async () => {
  process.env.JUDGE_TOKEN = TOKEN;
  process.env.PROMETHEUS_URL = '';
  process.env.KUBECONFIG = '/nonexistent/kubeconfig';
  ({ GET } = await import('./route'));
});

const since = () => Math.floor(Date.now() / 1000) - 60;
const services = () =>
  `namespace=demo&canaryService=webapp-canary&stableService=webapp-stable&since=${since()}`;
const call = async (query: string) => {
  const res = await GET(
    new Request(`http://localhost/api/v1/judge?${query}`, { headers: { authorization: `Bearer ${TOKEN}` } }),
  );
  // biome-ignore lint/suspicious/noExplicitAny: test assertions walk the JSON freely
  return { status: res.status, json: (await res.json()) as any };
};

describe('GET /api/v1/judge thresholds', () => {
  it('answers 422 naming the field and the AnalysisTemplate arg of a bad value', async () => {
    const bad = await call(`${services()}&p95MaxMs=abc`);
    expect(bad.status).toBe(422);
    expect(bad.json.error.code).toBe('invalid_input');
    expect(bad.json.error.message).toBe(
      'invalid query: p95MaxMs: must be a number (milliseconds), got "abc" (AnalysisTemplate arg p95-ms)',
    );
    expect(bad.json.error.details).toEqual([
      {
        field: 'p95MaxMs',
        message: 'must be a number (milliseconds), got "abc" (AnalysisTemplate arg p95-ms)',
      },
    ]);
    const range = await call(`${services()}&minStepSeconds=86400`);
    expect(range.status).toBe(422);
    expect(range.json.error.message).toContain(
      'minStepSeconds: must be between 0 and 3600 (seconds), got 86400 (AnalysisTemplate arg min-step-seconds)',
    );
  });

  it('answers 422 naming an arg Argo did not substitute', async () => {
    const res = await call(`${services()}&successRateMin={{args.success-rate}}`);
    expect(res.status).toBe(422);
    expect(res.json.error.message).toContain(
      'successRateMin: the AnalysisTemplate arg success-rate was not substituted (got "{{args.success-rate}}")',
    );
  });

  it('says which thresholds applied and where they came from', async () => {
    const res = await call(`${services()}&successRateMin=&errorRateMax=0.02&p95MaxMs=250&minStepSeconds=`);
    expect(res.status).toBe(200);
    expect(res.json.thresholds).toEqual({
      successRateMin: 0.99,
      errorRateMax: 0.02,
      p95MaxMs: 250,
      minStepSeconds: 30,
      sources: {
        successRateMin: 'default',
        errorRateMax: 'analysis',
        p95MaxMs: 'analysis',
        minStepSeconds: 'default',
      },
    });
    expect(res.json.verdict).toBe('pause');
  });
});
