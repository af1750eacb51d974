/**
 * The lab's bench: gateway overhead, list latency and watch delivery of the real lab program.
 *
 * Starts `lab/main.ts` (own temp LAB_DIR, free loopback ports, LAB_PROMETHEUS=off), applies manifests/app,
 * waits for the Rollout to be Healthy, then measures
 *   1. gateway added latency: GET /api/work at 200 rps through the gateway (Host: webapp.local) and straight to one
 *      pod's port (annotation lab.rollouts.io/port), alternating, in rounds; the direct run is the baseline;
 *   2. list of 1,000 ConfigMaps over HTTPS with the token (median of 10, kept-alive connection);
 *   3. watch delivery: patch a ConfigMap, time until its MODIFIED event arrives on an open watch (median of 50).
 * Prints a table and writes bench/results/lab.json. The lab and everything it started are stopped at the end.
 *
 *   npx tsx bench/lab/run.ts [--rounds 3] [--seconds 8] [--out FILE]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { healthyAt, LabProcess, runningPods, waitFor } from '@control-center/lab/testing';
import {
  createConfigMaps,
  type LatencyRound,
  latencyRound,
  median,
  timedGet,
  watchLatencies,
} from './measure';

const ROOT = path.resolve(__dirname, '../..');
const GOALS = { addedP50Ms: 1, addedP99Ms: 5, listMs: 200, watchMs: 50 };
const RPS = 200;

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? def) : def;
}

async function main(): Promise<number> {
  const rounds = Number(arg('rounds', '3'));
  const seconds = Number(arg('seconds', '8'));
  const out = path.resolve(arg('out', path.join(ROOT, 'bench/results/lab.json')));
  const loadBefore = loadavg();
  const lab = await LabProcess.start({ prometheus: false });
  try {
    const applied = await lab.kubectl(['apply', '-f', 'manifests/app/']);
    if (applied.code !== 0) throw new Error(applied.stderr);
    await waitFor('webapp Healthy', () => healthyAt(lab, 'webapp:v1.0'), 60_000);
    const pods = await waitFor('2 pods ready', async () => {
      const p = await runningPods(lab);
      return p.length === 2 && p;
    });
    const podPort = Number(pods[0]?.metadata.annotations?.['lab.rollouts.io/port']);
    const direct = `http://127.0.0.1:${podPort}/api/work`;
    const viaGateway = `${lab.gatewayUrl}/api/work`;

    // 1. Gateway added latency (warm both paths first; alternate so drift hits both alike).
    await latencyRound(direct, RPS, 2000);
    await latencyRound(viaGateway, RPS, 2000, 'webapp.local');
    const d: LatencyRound[] = [];
    const g: LatencyRound[] = [];
    for (let r = 0; r < rounds; r++) {
      d.push(await latencyRound(direct, RPS, seconds * 1000));
      g.push(await latencyRound(viaGateway, RPS, seconds * 1000, 'webapp.local'));
    }
    const lat = {
      direct: { p50: median(d.map((x) => x.p50)), p99: median(d.map((x) => x.p99)) },
      gateway: { p50: median(g.map((x) => x.p50)), p99: median(g.map((x) => x.p99)) },
    };
    const added = { p50: lat.gateway.p50 - lat.direct.p50, p99: lat.gateway.p99 - lat.direct.p99 };
    const failed = [...d, ...g].reduce((s, x) => s + x.failed, 0);

    // 2. List of 1,000 objects.
    const ns = await lab.api('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } },
    });
    if (ns.status !== 201) throw new Error(`namespace x: ${ns.status}`);
    await createConfigMaps(lab, 'x', 1000);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const listPath = '/api/v1/namespaces/x/configmaps';
    const first = await timedGet(lab, agent, listPath); // warm-up (and the TLS handshake)
    const lists: number[] = [];
    for (let i = 0; i < 10; i++) lists.push((await timedGet(lab, agent, listPath)).ms);
    agent.destroy();

    // 3. Watch delivery after a patch.
    const watches = await watchLatencies(lab, 'x', 'cm-0', 50);

    const result = {
      bench: 'lab',
      generatedAt: new Date().toISOString(),
      // the machine is shared: its load average (1, 5, 15 min) before and after says how far to trust the figures
      machine: {
        node: process.version,
        cpus: cpus().length,
        loadavg: { before: loadBefore, after: loadavg() },
      },
      goals: GOALS,
      gateway: {
        rps: RPS,
        rounds,
        secondsPerRound: seconds,
        requests: [...d, ...g].reduce((s, x) => s + x.requests, 0),
        failed,
        directMs: lat.direct,
        gatewayMs: lat.gateway,
        addedMs: added,
        perRound: { direct: d, gateway: g },
        pass: added.p50 <= GOALS.addedP50Ms && added.p99 <= GOALS.addedP99Ms && failed === 0,
      },
      list: {
        objects: 1000,
        bytes: first.bytes,
        medianMs: median(lists),
        samplesMs: lists,
        pass: median(lists) <= GOALS.listMs,
      },
      watch: {
        patches: watches.length,
        medianMs: median(watches),
        p90Ms: [...watches].sort((a, b) => a - b)[Math.floor(watches.length * 0.9)],
        maxMs: Math.max(...watches),
        pass: median(watches) <= GOALS.watchMs,
      },
    };
    printTable(result);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
    return result.gateway.pass && result.list.pass && result.watch.pass ? 0 : 1;
  } finally {
    await lab.stop();
  }
}

const f = (n: number) => n.toFixed(2);

function printTable(r: {
  machine: { loadavg: { before: number[]; after: number[] } };
  gateway: { directMs: { p50: number; p99: number }; gatewayMs: { p50: number; p99: number } } & {
    addedMs: { p50: number; p99: number };
    requests: number;
    failed: number;
    pass: boolean;
  };
  list: { medianMs: number; pass: boolean; bytes: number };
  watch: { medianMs: number; pass: boolean };
}): void {
  const g = r.gateway;
  const rows = [
    ['measure', 'direct (baseline)', 'via gateway', 'added / result', 'goal', 'pass'],
    [
      'latency p50 @200 rps (ms)',
      f(g.directMs.p50),
      f(g.gatewayMs.p50),
      f(g.addedMs.p50),
      '<= 1',
      String(g.pass),
    ],
    [
      'latency p99 @200 rps (ms)',
      f(g.directMs.p99),
      f(g.gatewayMs.p99),
      f(g.addedMs.p99),
      '<= 5',
      String(g.pass),
    ],
    ['list 1,000 ConfigMaps (ms, median of 10)', '', '', f(r.list.medianMs), '<= 200', String(r.list.pass)],
    [
      'watch event after patch (ms, median of 50)',
      '',
      '',
      f(r.watch.medianMs),
      '<= 50',
      String(r.watch.pass),
    ],
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
  console.log(`(${g.requests} requests, ${g.failed} failed; list body ${r.list.bytes} bytes)`);
  const la = r.machine.loadavg;
  console.log(`load average before ${la.before.map(f).join(' ')}, after ${la.after.map(f).join(' ')}`);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench lab: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
