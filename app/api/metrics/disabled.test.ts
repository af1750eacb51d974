import { describe, expect, it } from 'vitest';

describe('GET /api/metrics without METRICS_TOKEN', () => {
  it('answers 503 and says how to enable it', async () => {
    process.env.METRICS_TOKEN = '';
    const { GET } = await import('./route');
    const res = await GET(
      new Request('http://localhost/api/metrics', {
        headers: { authorization: 'Bearer anything-at-all-123' },
      }),
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: {
        code: 'metrics_disabled',
        message: 'the metrics endpoint is disabled: set METRICS_TOKEN to enable it',
      },
    });
  });
});
