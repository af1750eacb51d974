import { spawn } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { killStaleAndWait } from './child-process';

/** A real process listening on a port, with `marker` in its command line, as a crashed lab's child would be. */
async function listener(marker: string): Promise<{ pid: number; port: number }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      "const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port))",
      marker,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const port = await new Promise<number>((resolve) =>
    child.stdout.once('data', (d) => resolve(Number(String(d)))),
  );
  return { pid: child.pid ?? 0, port };
}

const canBind = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('killStaleAndWait', () => {
  it("kills a crashed run's process and returns once its port is free again (each of 8 times)", async () => {
    // Node, like Prometheus, has several threads: its main thread is a zombie before the others let go of the port.
    for (let i = 0; i < 8; i++) {
      const { pid, port } = await listener('stale-marker-1');
      expect(await canBind(port)).toBe(false);
      await killStaleAndWait(pid, 'stale-marker-1');
      expect(await canBind(port), `try ${i + 1}`).toBe(true);
    }
  });

  it('leaves alone a process whose command line is not ours (the pid was reused)', async () => {
    const { pid, port } = await listener('someone-else');
    await killStaleAndWait(pid, 'stale-marker-2', 500);
    expect(alive(pid)).toBe(true);
    expect(await canBind(port)).toBe(false);
    process.kill(pid, 'SIGKILL');
  });
});
