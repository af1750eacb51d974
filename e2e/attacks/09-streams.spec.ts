import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  apiLogin,
  E2E_CONFIG,
  expect,
  freePort,
  type LabProgram,
  type Proc,
  startControlCenter,
  startLabProgram,
  test,
  until,
} from '../lab-fixture';

/**
 * Attack class 9: unbounded live streams. A viewer opens 25 streams at once; then streams that never read while a
 * burst of large watch events goes out (ConfigMaps `webapp-faults` with a 200 KB annotation, created and replaced
 * with kubectl in 20 namespaces). A control center and a lab of this file's own, so the server's RSS is its alone.
 */
test.describe.configure({ mode: 'serial' });

const CAP = 8; // streams.perUser's default
const NAMESPACES = 20;
const PAD = 200 * 1024;
const ROUNDS = 4; // one create and three replaces
const procs: Proc[] = [];
let dir = '';
let lab: LabProgram;
let cc: Proc;
let url = '';
let viewer = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = mkdtempSync(path.join(tmpdir(), 'cc-e2e-attack-09-'));
  lab = await startLabProgram(dir, procs);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  cc = await startControlCenter(
    port,
    {
      KUBECONFIG: lab.kubeconfig,
      KUBERNETES_SERVICE_HOST: '',
      CONTROL_CENTER_CONFIG: E2E_CONFIG,
      CONTROL_CENTER_DATA_DIR: path.join(dir, 'cc-data'),
      AUTH_SECRET: `e2e-attack-09-${Date.now()}-0123456789abcdef0123456789`,
    },
    path.join(dir, 'control-center.log'),
  );
  procs.push(cc);
  viewer = await apiLogin(url, 'viewer');
  const ns = Array.from({ length: NAMESPACES }, (_, i) => `burst-${i}`);
  writeFileSync(
    path.join(dir, 'namespaces.yaml'),
    ns.map((n) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n`).join('---\n'),
  );
  await lab.kubectl('create', '-f', path.join(dir, 'namespaces.yaml'));
});

test.afterAll(async () => {
  for (const p of procs.reverse()) await p.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** ConfigMaps webapp-faults (the kind the control center watches) in every burst namespace, each ~200 KB. */
function burstFile(round: number): string {
  const file = path.join(dir, `burst-${round}.yaml`);
  const pad = 'x'.repeat(PAD);
  writeFileSync(
    file,
    Array.from(
      { length: NAMESPACES },
      (_, i) =>
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: webapp-faults\n  namespace: burst-${i}\n  annotations:\n    round: "${round}"\n    pad: ${pad}\ndata:\n  faults.json: "{}"\n`,
    ).join('---\n'),
  );
  return file;
}

const rssKb = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${cc.child.pid}/status`, 'utf8'));
  if (!m) throw new Error('no VmRSS for the control center');
  return Number(m[1]);
};

test('a viewer opening 25 streams gets 429 past the cap; the first streams still deliver events', async () => {
  const ctl = new AbortController();
  const opened = await Promise.all(
    Array.from({ length: 25 }, () =>
      fetch(`${url}/api/v1/stream`, { headers: { cookie: viewer }, signal: ctl.signal }),
    ),
  );
  try {
    const ok = opened.filter((r) => r.status === 200);
    const refused = opened.filter((r) => r.status === 429);
    expect(ok.length).toBe(CAP);
    expect(refused.length).toBe(25 - CAP);
    for (const r of refused)
      expect(((await r.json()) as { error: { message: string } }).error.message).toBe(
        `too many live streams: you have ${CAP} open, at most ${CAP} per user; close other tabs of the control center and retry`,
      );
    // Read back: the open streams deliver a change made now.
    const texts = ok.map(() => '');
    const readers = ok.map((r) => r.body?.getReader());
    await lab.kubectl(
      'create',
      'configmap',
      'webapp-faults',
      '-n',
      'burst-0',
      '--from-literal=faults.json={}',
    );
    const decoder = new TextDecoder();
    await Promise.all(
      readers.map(async (reader, i) => {
        const deadline = Date.now() + 20_000;
        while (!/"name":"webapp-faults","namespace":"burst-0"/.test(texts[i] ?? '')) {
          if (Date.now() > deadline) throw new Error(`stream ${i} did not deliver the change`);
          const { value, done } = (await reader?.read()) ?? { done: true, value: undefined };
          if (done) throw new Error(`stream ${i} ended`);
          texts[i] += decoder.decode(value, { stream: true });
        }
      }),
    );
  } finally {
    ctl.abort();
  }
  await lab.kubectl('delete', 'configmap', 'webapp-faults', '-n', 'burst-0');
  // The slots come back when the streams close.
  await until('the slots freed', 10_000, async () => {
    const r = await fetch(`${url}/api/v1/stream`, { headers: { cookie: viewer } });
    await r.body?.cancel();
    return r.status === 200 ? true : undefined;
  });
});

/** A stream over a raw socket that stops reading at once (paused before the response arrives). */
function silentStream(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const s = connect(Number(port), hostname, () => {
      s.pause();
      s.write(`GET /api/v1/stream HTTP/1.1\r\nHost: ${hostname}:${port}\r\nCookie: ${viewer}\r\n\r\n`);
      resolve(s);
    });
    s.once('error', reject);
  });
}

test('streams that never read do not grow the server without bound: each ends with `overflow`', async () => {
  test.setTimeout(180_000);
  // Wait until earlier streams are all closed on the server (every slot free again).
  await until('every slot free', 20_000, async () => {
    const rs = await Promise.all(
      Array.from({ length: CAP }, () => fetch(`${url}/api/v1/stream`, { headers: { cookie: viewer } })),
    );
    await Promise.all(rs.map((r) => r.body?.cancel()));
    return rs.every((r) => r.status === 200) ? true : undefined;
  });
  const sockets = await Promise.all(Array.from({ length: CAP }, () => silentStream()));
  const before = rssKb();
  for (let round = 0; round < ROUNDS; round++)
    await lab.kubectl(round === 0 ? 'create' : 'replace', '-f', burstFile(round));
  const after = rssKb();
  // What the burst offered each stream, and what 8 unbounded queues would hold.
  const offeredKb = (ROUNDS * NAMESPACES * PAD) / 1024;
  const growthKb = after - before;
  console.log(
    `RSS ${before} kB -> ${after} kB (+${growthKb} kB); offered ${Math.round(offeredKb)} kB per stream x ${CAP} streams`,
  );
  expect(growthKb).toBeLessThan((offeredKb * CAP) / 2);
  // Each stream, read now, ends with the `overflow` event (closed when its queue passed the bound).
  const ends = await Promise.all(
    sockets.map(
      (s, i) =>
        new Promise<string>((resolve, reject) => {
          let tail = '';
          const timer = setTimeout(
            () => reject(new Error(`stream ${i} still open: ${tail.slice(-300)}`)),
            30_000,
          );
          s.on('data', (d: Buffer) => {
            tail = (tail + d.toString('latin1')).slice(-4096);
            // The last chunk of the response (HTTP/1.1 chunked): the server ended the stream, the socket may stay.
            if (tail.endsWith('\r\n0\r\n\r\n')) {
              clearTimeout(timer);
              s.destroy();
              resolve(tail);
            }
          });
          s.on('close', () => {
            clearTimeout(timer);
            resolve(tail);
          });
          s.resume();
        }),
    ),
  );
  for (const tail of ends) expect(tail).toContain('event: overflow\ndata: {"type":"OVERFLOW"');
  // Read back: the server still serves a fresh stream to the same viewer, its snapshot with the burst's objects.
  const r = await fetch(`${url}/api/v1/stream`, { headers: { cookie: viewer } });
  expect(r.status).toBe(200);
  const reader = r.body?.getReader();
  let text = '';
  const decoder = new TextDecoder();
  while (!text.includes('"type":"END"')) {
    const { value, done } = (await reader?.read()) ?? { done: true, value: undefined };
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader?.cancel();
  expect(text).toContain('"namespace":"burst-19"');
});
