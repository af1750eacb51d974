import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson } from './api';

// A real HTTP server on loopback that answers as the control center's repeated reads do (ETag, 304 on a match).
let answer: unknown = { items: [1] };
const asked: Array<string | undefined> = [];
const server = http.createServer((req, res) => {
  const body = JSON.stringify(answer);
  const etag = `"${Buffer.from(body).toString('base64url')}"`;
  asked.push(req.headers['if-none-match']);
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag });
    res.end();
    return;
  }
  res.writeHead(200, { etag, 'content-type': 'application/json' });
  res.end(body);
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/x`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('getJson', () => {
  it('asks again with the last tag and, on 304, gives back the very object of the last answer', async () => {
    const first = await getJson<{ items: number[] }>(url);
    const again = await getJson<{ items: number[] }>(url);
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.data).toBe(first.data); // the same object: nothing parsed, nothing for the cache to compare
    expect(asked).toEqual([undefined, asked[1]]);
    expect(asked[1]).toMatch(/^"/);
    answer = { items: [1, 2] };
    const changed = await getJson<{ items: number[] }>(url);
    expect(changed.ok && changed.data).toEqual({ items: [1, 2] });
  });
});
