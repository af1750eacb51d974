import { describe, expect, it, vi } from 'vitest';
import { QueryCache } from './query-cache';

describe('QueryCache', () => {
  it('stores results by key, notifies subscribers and keeps data across a failed refetch', async () => {
    const cache = new QueryCache();
    const seen = vi.fn();
    const off = cache.subscribe('slo:demo/webapp', seen);
    await cache.fetch(
      'slo:demo/webapp',
      async () => ({ ok: true, data: { verdict: 'pause' } }),
      () => 1,
    );
    expect(cache.get('slo:demo/webapp')).toMatchObject({
      status: 'success',
      data: { verdict: 'pause' },
      updatedAt: 1,
    });
    await cache.fetch('slo:demo/webapp', async () => ({
      ok: false,
      status: 409,
      error: { code: 'no_canary', message: 'no canary' },
    }));
    const e = cache.get<{ verdict: string }>('slo:demo/webapp');
    expect(e.status).toBe('error');
    expect(e.error?.code).toBe('no_canary');
    expect(e.data?.verdict).toBe('pause');
    expect(seen).toHaveBeenCalled();
    off();
    expect(cache.get('other').status).toBe('idle');
  });

  it('runs one fetch per key at a time', async () => {
    const cache = new QueryCache();
    let calls = 0;
    let release: () => void = () => undefined;
    const fetcher = () => {
      calls++;
      return new Promise<{ ok: true; data: number }>((r) => {
        release = () => r({ ok: true, data: calls });
      });
    };
    const a = cache.fetch('k', fetcher);
    const b = cache.fetch('k', fetcher);
    release();
    await Promise.all([a, b]);
    expect(calls).toBe(1);
  });
});
