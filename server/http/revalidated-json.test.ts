import { describe, expect, it } from 'vitest';
import { revalidatedJson } from './route';

const get = (etag?: string) =>
  new Request('http://127.0.0.1/api/v1/x', { headers: etag ? { 'if-none-match': etag } : {} });

describe('revalidatedJson', () => {
  it('tags the answer; the same answer asked with its tag is a 304 with no body; another answer is a 200', async () => {
    const first = revalidatedJson(get(), { items: [1, 2] });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.headers.get('content-type')).toBe('application/json');
    expect(await first.json()).toEqual({ items: [1, 2] });
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);

    const same = revalidatedJson(get(etag), { items: [1, 2] });
    expect(same.status).toBe(304);
    expect(same.headers.get('etag')).toBe(etag);
    expect(await same.text()).toBe('');

    const changed = revalidatedJson(get(etag), { items: [1, 2, 3] });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.json()).toEqual({ items: [1, 2, 3] });
    // A list of tags, or a stale one, is read as HTTP says: any match is a 304, none is the answer.
    expect(revalidatedJson(get(`"stale", ${etag}`), { items: [1, 2] }).status).toBe(304);
    expect(revalidatedJson(get('"stale"'), { items: [1, 2] }).status).toBe(200);
    // A tag a compressing proxy marked weak still matches.
    expect(revalidatedJson(get(`W/${etag}`), { items: [1, 2] }).status).toBe(304);
  });
});
