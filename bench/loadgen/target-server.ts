/** The bench's target: the demo webapp (built on demand) or a minimal stand-in, on a loopback port. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { log } from './util';

export const ROOT = path.resolve(__dirname, '../..');
const WEBAPP_DIR = path.join(ROOT, 'webapp');
const WEBAPP_SERVER = path.join(WEBAPP_DIR, 'dist/server.js');

/** Make sure webapp/dist/server.js exists, building the webapp when it does not. */
export function ensureWebappBuilt(): void {
  if (fs.existsSync(WEBAPP_SERVER)) return;
  if (!fs.existsSync(path.join(WEBAPP_DIR, 'package.json'))) {
    throw new Error(
      `the demo webapp is missing (${WEBAPP_DIR}/package.json); use --builtin-server to bench without it`,
    );
  }
  log(`${path.relative(ROOT, WEBAPP_SERVER)} is missing: building the webapp (npm ci && npm run build)`);
  const steps: string[][] = fs.existsSync(path.join(WEBAPP_DIR, 'node_modules'))
    ? [['run', 'build']]
    : [
        ['ci', '--no-audit', '--no-fund'],
        ['run', 'build'],
      ];
  for (const step of steps) {
    const r = spawnSync('npm', step, { cwd: WEBAPP_DIR, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) {
      throw new Error(
        `building the webapp failed at 'npm ${step.join(' ')}' (exit ${r.status}); fix webapp/ or use --builtin-server`,
      );
    }
  }
  if (!fs.existsSync(WEBAPP_SERVER)) {
    throw new Error(`webapp built but ${WEBAPP_SERVER} still does not exist`);
  }
}

/** Minimal stand-in for the webapp: same routes the bench uses, JSON with a version. */
const BUILTIN_SERVER = `
const http = require('node:http');
const s = http.createServer((req, res) => {
  if (req.url === '/readyz') { res.end('ok'); return; }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ version: process.env.VERSION || 'v1.0', ok: true }));
});
s.keepAliveTimeout = 30000;
s.listen(Number(process.env.PORT), process.env.HOST);
process.on('SIGTERM', () => s.close(() => process.exit(0)));
`;

export interface Server {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: () => boolean;
}

export function startServer(port: number, builtin: boolean): Server {
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', VERSION: 'v1.0', WARMUP_MS: '0' };
  const args = builtin ? ['-e', BUILTIN_SERVER] : [WEBAPP_SERVER];
  const child = spawn(process.execPath, args, {
    cwd: builtin ? ROOT : WEBAPP_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (c: Buffer): void => {
    tail = (tail + c.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let gone = false;
  child.on('exit', () => {
    gone = true;
  });
  return { child, base: `http://127.0.0.1:${port}`, output: () => tail, exited: () => gone };
}

export async function stopServer(s: Server): Promise<void> {
  if (s.exited()) return;
  const gone = new Promise<void>((r) => s.child.once('exit', () => r()));
  s.child.kill('SIGTERM');
  let t: NodeJS.Timeout | undefined;
  await Promise.race([gone, new Promise<void>((r) => (t = setTimeout(r, 5000)))]);
  clearTimeout(t);
  if (!s.exited()) {
    s.child.kill('SIGKILL');
    await gone;
  }
}

function getStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

function getText(url: string): Promise<string | null> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve(res.statusCode === 200 ? body : null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

/**
 * Requests to /api/work the server itself counted (webapp's Prometheus counter
 * http_requests_total{route="/api/work"}); null when the server has no such metric.
 */
export async function serverCount(base: string): Promise<number | null> {
  const text = await getText(`${base}/metrics`);
  if (text === null) return null;
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith('http_requests_total{') || !line.includes('route="/api/work"')) continue;
    const v = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(v)) {
      sum += v;
      found = true;
    }
  }
  return found ? sum : null;
}

export async function waitReady(s: Server, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (s.exited()) throw new Error(`the server exited before it was ready; its output:\n${s.output()}`);
    if ((await getStatus(`${s.base}/readyz`)) === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${s.base}/readyz not 200 after ${timeoutMs} ms; server output:\n${s.output()}`);
}
