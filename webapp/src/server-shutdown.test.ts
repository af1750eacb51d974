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
    server.proc.kill('SIGTERM');
    await server.waitForLog((l) => l.event === 'shutdown_started', 2000);

    expect(await tryConnect(server.port)).toBe('ECONNREFUSED');

    const results = await Promise.all(inFlight);
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));

    const { code, signal } = await server.exited;
    expect(signal).toBeNull();
    // Closed by itself, not by the SHUTDOWN_TIMEOUT_MS (10 s) timer: that one logs shutdown_forced and exits 1.
    expect(code).toBe(0);
    expect(server.logs().some((l) => l.event === 'shutdown_complete')).toBe(true);
    expect(server.logs().some((l) => l.event === 'shutdown_forced')).toBe(false);
    expect(await tryConnect(server.port)).toBe('ECONNREFUSED');
  });

  it('SIGINT on an idle server exits 0 without waiting out an idle keep-alive connection', async () => {
    // Node keeps an idle keep-alive socket 5 s: a shutdown waiting for it would hit this 3 s timeout (exit 1).
    const server = await startServer({ SHUTDOWN_TIMEOUT_MS: '3000' });
    await (await fetch(`${server.url}/healthz`)).arrayBuffer(); // leaves an idle keep-alive connection
    server.proc.kill('SIGINT');
    const { code } = await server.exited;
    expect(code).toBe(0);
    expect(server.logs().some((l) => l.event === 'shutdown_forced')).toBe(false);
  });
});
