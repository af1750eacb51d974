import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { json, startServer, type TestServer } from './testing/server';
import type { Summary } from './types';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'loadgen/src/cli.ts');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI from source through tsx; killed after 20 s whatever happens. */
function run(args: string[], opts: { signalAfterMs?: number } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let signaller: NodeJS.Timeout | undefined;
    if (opts.signalAfterMs !== undefined) {
      // wait for the first progress line so the signal handlers are installed
      const onData = (): void => {
        child.stderr.off('data', onData);
        signaller = setTimeout(() => child.kill('SIGTERM'), opts.signalAfterMs);
      };
      child.stderr.on('data', onData);
    }
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      if (signaller) clearTimeout(signaller);
      resolve({ code, stdout, stderr });
    });
  });
}

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('cli', () => {
  it('prints one JSON summary with --json and progress lines on stderr', async () => {
    const s = await startServer((n, _req, res) =>
      json(res, n % 4 === 0 ? 500 : 200, { version: n % 4 === 1 ? 'v1.1' : 'v1.0' }),
    );
    servers.push(s);
    const r = await run([
      s.url,
      '--rps',
      '40',
      '--duration',
      '1500ms',
      '--json',
      '--progress',
      '-H',
      'Host: webapp.example',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0] as string) as Summary;
    expect(summary.target).toBe(s.url);
    expect(summary.mode).toBe('rate');
    expect(summary.total).toBe(60);
    expect(summary.statusCodes).toEqual({ '200': 45, '500': 15 });
    expect(summary.versions).toEqual({ 'v1.0': 45, 'v1.1': 15 });
    expect(summary.ok).toBe(45);
    expect(summary.failed).toBe(15);
    expect(Object.keys(summary.latencyMs ?? {})).toEqual(['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'max']);
    expect(s.headers[0]?.host).toBe('webapp.example');
    const progress = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; sent: number });
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]?.type).toBe('progress');
  });

  it('prints the table and honours --fail-on-error', async () => {
    const s = await startServer((n, _req, res) => json(res, n === 2 ? 503 : 200, { version: 'v1.0' }));
    servers.push(s);
    const r = await run([`--url=${s.url}`, '-c', '2', '-n', '10', '--fail-on-error']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[200]\t9 responses');
    expect(r.stdout).toContain('[503]\t1 responses');
    expect(r.stdout).toContain('[v1.0]\t10 responses');
    expect(r.stdout).toMatch(/99% in [\d.]+ ms/);
  });

  it('exits 2 naming the flag for bad arguments', async () => {
    const r = await run(['http://127.0.0.1:9/', '--rps', 'fast']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--rps');
    expect(r.stdout).toBe('');
    const unbounded = await run(['http://127.0.0.1:9/', '--rps', '1', '--duration', '5h']);
    expect(unbounded.code).toBe(2);
    expect(unbounded.stderr).toContain('--duration');
  });

  it('on SIGTERM stops sending, drains and still prints the summary', async () => {
    const s = await startServer((_n, _req, res) => json(res, 200, {}, 50));
    servers.push(s);
    const r = await run([s.url, '--rps', '20', '--duration', '60s', '--json', '--progress'], {
      signalAfterMs: 300,
    });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout.trim()) as Summary;
    expect(summary.interrupted).toBe(true);
    // It stopped sending at the signal: far fewer than the 1,200 requests of the full 60 s.
    expect(summary.total).toBeLessThan(100);
    expect(summary.total).toBe(s.count());
    expect(summary.errors).toEqual({});
    expect(summary.total).toBeGreaterThan(10);
  });
});
