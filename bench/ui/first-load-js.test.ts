import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstLoadJs } from './first-load-js';

const SCRIPTS: Record<string, string> = {
  '/a.js': 'console.log("a");'.repeat(50),
  '/b.js': 'console.log("b");'.repeat(80),
  '/polyfills.js': 'console.log("old browsers");'.repeat(200),
};
const PAGE = `<html><head><script src="/polyfills.js" noModule=""></script><script src="/a.js" async=""></script>
<script>inline()</script></head><body><script src="/b.js"></script><script src="/a.js" async=""></script></body></html>`;

let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/page') {
      res.writeHead(req.headers.cookie === 's=1' ? 200 : 401, { 'content-type': 'text/html' }).end(PAGE);
      return;
    }
    const body = SCRIPTS[req.url ?? ''];
    res.writeHead(body ? 200 : 404).end(body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const gz = (s: string) => gzipSync(Buffer.from(s), { level: 9 }).length;

describe('firstLoadJs', () => {
  it('sums each script the page runs once, and lists the nomodule polyfills apart', async () => {
    const js = await firstLoadJs(url, 's=1', '/page');
    expect(js.files.map((f) => f.src)).toEqual(['/a.js', '/b.js']);
    expect(js.noModule.map((f) => f.src)).toEqual(['/polyfills.js']);
    const sum = gz(SCRIPTS['/a.js'] ?? '') + gz(SCRIPTS['/b.js'] ?? '');
    expect(js.gzipKb).toBe(Math.round(sum / 10) / 100);
  });

  it('fails for a page it may not read', async () => {
    await expect(firstLoadJs(url, '', '/page')).rejects.toThrow('GET /page: 401');
  });
});
