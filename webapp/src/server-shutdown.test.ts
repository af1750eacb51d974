import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { timedGet } from '../test/load.js';
import { killAll, startServer } from '../test/server-harness.js';

afterEach(killAll);

function tryConnect(port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('graceful shutdown', () => {
  it('SIGTERM under load completes every in-flight request, refuses new connections and exits 0', async () => {
    const server = await startServer({ FAULT_LATENCY_MS: '300' });
    const inFlight = Array.from({ length: 50 }, () => timedGet(`${server.url}/api/work`));
    await new Promise((r) => setTimeout(r, 150));
    const signalledAt = Date.now();
    server.proc.kill('SIGTERM');
    await server.waitForLog((l) => l.event === 'shutdown_started', 2000);

    expect(await tryConnect(server.port)).toBe('ECONNREFUSED');

    const results = await Promise.all(inFlight);
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));

    const { code, signal } = await server.exited;
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(server.logs().some((l) => l.event === 'shutdown_complete')).toBe(true);
    expect(await tryConnect(server.port)).toBe('ECONNREFUSED');
  });

  it('SIGINT on an idle server exits 0 promptly', async () => {
    const server = await startServer();
    await (await fetch(`${server.url}/healthz`)).arrayBuffer(); // leaves an idle keep-alive connection
    const signalledAt = Date.now();
    server.proc.kill('SIGINT');
    const { code } = await server.exited;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(2000);
  });
});
