import { describe, expect, it } from 'vitest';
import { readBodyWithin, stopReading } from './body-limit';
import { errorAnswer } from './errors';

/** An endless body of `chunk`-byte pieces that counts what was pulled from it and whether it was cancelled. */
function endless(chunk: number) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulled += chunk;
      controller.enqueue(new Uint8Array(chunk).fill(97));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { body, seen };
}

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request('http://cc.test/api/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('readBodyWithin', () => {
  it('refuses an endless chunked body at the first chunk past the limit and cancels the stream', async () => {
    const { body, seen } = endless(4096);
    const read = await readBodyWithin(post(body), 16 * 1024);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    const answer = errorAnswer(read.error);
    expect(answer.status).toBe(413);
    expect(await answer.json()).toEqual({
      error: { code: 'payload_too_large', message: 'the request body is larger than 16384 bytes' },
    });
    await expect.poll(() => seen.cancelled).toBe(true);
    // The limit plus the one chunk that crossed it, and what the stream queued ahead: never the whole body.
    expect(seen.pulled).toBeLessThanOrEqual(16 * 1024 + 2 * 4096);
  });

  it('refuses a declared Content-Length over the limit without reading a byte', async () => {
    const { body, seen } = endless(4096);
    const read = await readBodyWithin(post(body, { 'content-length': String(20 * 1024 * 1024) }), 1024);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error.status).toBe(413);
    expect(seen.pulled).toBeLessThanOrEqual(4096);
    await expect.poll(() => seen.cancelled).toBe(true);
  });

  it('a Content-Length that claims less than is sent does not matter: the bytes are counted', async () => {
    const { body } = endless(1000);
    const read = await readBodyWithin(post(body, { 'content-length': '10' }), 5000);
    expect(read.ok).toBe(false);
  });

  it('takes a body of exactly the limit, and an empty one', async () => {
    const exact = await readBodyWithin(post('x'.repeat(1024)), 1024);
    expect(exact.ok && Buffer.from(exact.bytes).toString()).toBe('x'.repeat(1024));
    const empty = await readBodyWithin(post(null), 1024);
    expect(empty.ok && empty.bytes.byteLength).toBe(0);
    const over = await readBodyWithin(post('x'.repeat(1025)), 1024);
    expect(over.ok).toBe(false);
  });
});

describe('stopReading', () => {
  it('cancels a body nobody read, after at most one chunk', async () => {
    const { body, seen } = endless(4096);
    const req = post(body);
    stopReading(req);
    await expect.poll(() => seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThanOrEqual(2 * 4096);
  });

  it('leaves a read body and a request without one alone', async () => {
    const req = post('{}');
    await req.text();
    expect(() => stopReading(req)).not.toThrow();
    expect(() => stopReading(new Request('http://cc.test/'))).not.toThrow();
  });
});
