/**
 * A CPU profile of a running Node process over the Chrome DevTools Protocol: the process' inspector must be open
 * (the control center starts with `--inspect-port=<port>` and the bench sends it SIGUSR1). Samples until SIGTERM,
 * then writes the `.cpuprofile` and exits. Needs a global WebSocket (Node 22, or Node 20 with
 * --experimental-websocket).
 *
 *   node --experimental-websocket --import tsx bench/judge-load/profiler.ts <inspector port> <out.cpuprofile>
 * prints `{"started":true}` once sampling.
 */
import { writeFileSync } from 'node:fs';

async function main(): Promise<void> {
  const [port, out] = process.argv.slice(2);
  if (!port || !out) throw new Error('usage: profiler.ts <inspector port> <out.cpuprofile>');
  let targets: Array<{ webSocketDebuggerUrl: string }> = [];
  for (let i = 0; i < 50 && targets.length === 0; i++) {
    targets = await fetch(`http://127.0.0.1:${port}/json/list`)
      .then((r) => r.json() as Promise<Array<{ webSocketDebuggerUrl: string }>>)
      .catch(() => []);
    if (targets.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector on 127.0.0.1:${port}`);
  const ws = new WebSocket(url);
  let id = 0;
  const pending = new Map<number, (v: { result?: unknown; error?: unknown }) => void>();
  ws.onmessage = (m: MessageEvent) => {
    const d = JSON.parse(String(m.data)) as { id?: number; result?: unknown; error?: unknown };
    if (d.id !== undefined) pending.get(d.id)?.(d);
  };
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<{ result?: unknown; error?: unknown }>((resolve) => {
      const i = ++id;
      pending.set(i, resolve);
      ws.send(JSON.stringify({ id: i, method, params }));
    });
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
  });
  await send('Profiler.enable');
  await send('Profiler.start');
  console.log(JSON.stringify({ started: true }));
  process.once('SIGTERM', () => {
    void (async () => {
      const r = await send('Profiler.stop');
      writeFileSync(out, JSON.stringify((r.result as { profile: unknown }).profile));
      await send('Profiler.disable');
      ws.close();
      process.exit(0);
    })();
  });
}

main().catch((err: unknown) => {
  console.error(`profiler: ${(err as Error).message}`);
  process.exit(1);
});
