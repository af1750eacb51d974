/**
 * Load generator accuracy bench: does `loadgen --rps N` really send N requests per second?
 *
 * Starts the demo webapp (webapp/dist/server.js) on a free loopback port, waits for /readyz,
 * runs the load generator against GET /api/work at each rate (default 100 and 500 rps, 10 s,
 * 3 repetitions, medians quoted), runs `hey` at the same rates as a baseline when it is
 * installed, prints a table and writes bench/results/loadgen.json. The webapp is always killed
 * at the end. Only 127.0.0.1 is ever targeted.
 *
 *   npx tsx bench/loadgen/run.ts [--rates 100,500] [--duration 10s] [--reps 3] [--no-hey]
 *                                [--builtin-server] [--strict] [--out FILE]
 *
 * --builtin-server uses a minimal node:http stand-in (in its own process) instead of the webapp.
 * --strict exits 1 when a median achieved rate is more than 5 % off the requested one.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseDuration, runLoad, type Summary } from '../../loadgen/src/index';

const ROOT = path.resolve(__dirname, '../..');
const WEBAPP_DIR = path.join(ROOT, 'webapp');
const WEBAPP_SERVER = path.join(WEBAPP_DIR, 'dist/server.js');
const HEY = '/usr/bin/hey';
const GOAL_PCT = 5;

interface BenchArgs {
  rates: number[];
  durationMs: number;
  reps: number;
  hey: boolean;
  builtinServer: boolean;
  strict: boolean;
  out: string;
}

function parseBenchArgs(argv: string[]): BenchArgs {
  const a: BenchArgs = {
    rates: [100, 500],
    durationMs: 10_000,
    reps: 3,
    hey: true,
    builtinServer: false,
    strict: false,
    out: path.join(ROOT, 'bench/results/loadgen.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag}: missing value`);
      return v;
    };
    switch (flag) {
      case '--rates':
        a.rates = value()
          .split(',')
          .map((r) => Number(r));
        if (a.rates.some((r) => !(r > 0 && r <= 5000))) throw new Error('--rates: numbers in (0, 5000]');
        break;
      case '--duration':
        a.durationMs = parseDuration(value());
        if (a.durationMs > 120_000) throw new Error('--duration: at most 2m');
        break;
      case '--reps':
        a.reps = Number(value());
        if (!Number.isInteger(a.reps) || a.reps < 1 || a.reps > 10) throw new Error('--reps: integer 1..10');
        break;
      case '--no-hey':
        a.hey = false;
        break;
      case '--builtin-server':
        a.builtinServer = true;
        break;
      case '--strict':
        a.strict = true;
        break;
      case '--out':
        a.out = path.resolve(value());
        break;
      default:
        throw new Error(`${flag}: unknown option`);
    }
  }
  return a;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
};
const r2 = (v: number): number => Math.round(v * 100) / 100;
const log = (msg: string): void => {
  process.stderr.write(`[bench:loadgen] ${msg}\n`);
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Make sure webapp/dist/server.js exists, building the webapp when it does not. */
function ensureWebappBuilt(): void {
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

interface Server {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: () => boolean;
}

function startServer(port: number, builtin: boolean): Server {
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

async function stopServer(s: Server): Promise<void> {
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
async function serverCount(base: string): Promise<number | null> {
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

async function waitReady(s: Server, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (s.exited()) throw new Error(`the server exited before it was ready; its output:\n${s.output()}`);
    if ((await getStatus(`${s.base}/readyz`)) === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${s.base}/readyz not 200 after ${timeoutMs} ms; server output:\n${s.output()}`);
}

interface HeyRun {
  achievedRps: number;
  p50Ms: number | null;
  p99Ms: number | null;
  workers: number;
  qpsPerWorker: number;
}

/** hey rate-limits per worker (-q is QPS per worker), so split the rate over rate/10 workers. */
function runHey(url: string, rps: number, durationMs: number): Promise<HeyRun> {
  const workers = Math.max(1, Math.round(rps / 10));
  const q = rps / workers;
  const args = [
    '-z',
    `${Math.round(durationMs / 1000)}s`,
    '-c',
    String(workers),
    '-q',
    String(q),
    '-t',
    '5',
    url,
  ];
  return new Promise((resolve, reject) => {
    execFile(HEY, args, { timeout: durationMs + 30_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) {
        reject(new Error(`hey failed: ${err.message}`));
        return;
      }
      const rate = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
      if (!rate) {
        reject(new Error(`could not read hey's output:\n${stdout.slice(0, 2000)}`));
        return;
      }
      const pct = (p: number): number | null => {
        const m = new RegExp(`\\b${p}% in ([\\d.]+) secs`).exec(stdout);
        return m ? r2(Number(m[1]) * 1000) : null;
      };
      resolve({ achievedRps: Number(rate[1]), p50Ms: pct(50), p99Ms: pct(99), workers, qpsPerWorker: q });
    });
  });
}

interface Row {
  requestedRps: number;
  loadgen: {
    achievedRpsMedian: number;
    deviationPct: number;
    p50MsMedian: number | null;
    p99MsMedian: number | null;
    withinGoal: boolean;
    /** Requests the webapp itself counted per run (its http_requests_total), median; null without it. */
    serverCountedMedian: number | null;
    /** Sends more than 10 ms behind their slot, over all repetitions. */
    lateSends: number;
    maxLagMs: number;
    runs: Array<
      Pick<
        Summary,
        'achievedRps' | 'total' | 'ok' | 'failed' | 'errors' | 'versions' | 'latencyMs' | 'schedule'
      >
    >;
  };
  hey: {
    achievedRpsMedian: number;
    deviationPct: number;
    p50MsMedian: number | null;
    p99MsMedian: number | null;
    runs: HeyRun[];
  } | null;
}

const medianOrNull = (xs: Array<number | null | undefined>): number | null => {
  const v = xs.filter((x): x is number => typeof x === 'number');
  return v.length ? r2(median(v)) : null;
};

function table(rows: Row[], heyUsed: boolean): string {
  const head = [
    'requested rps',
    'achieved (median)',
    'deviation',
    'server counted',
    'p50 ms',
    'p99 ms',
    'late sends',
    'max lag ms',
  ];
  if (heyUsed) head.push('hey achieved', 'hey dev.', 'hey p50 ms', 'hey p99 ms');
  const lines = rows.map((r) => {
    const cells = [
      String(r.requestedRps),
      r.loadgen.achievedRpsMedian.toFixed(2),
      `${r.loadgen.deviationPct >= 0 ? '+' : ''}${r.loadgen.deviationPct.toFixed(2)} %`,
      r.loadgen.serverCountedMedian === null ? '-' : String(r.loadgen.serverCountedMedian),
      r.loadgen.p50MsMedian?.toFixed(2) ?? '-',
      r.loadgen.p99MsMedian?.toFixed(2) ?? '-',
      String(r.loadgen.lateSends),
      r.loadgen.maxLagMs.toFixed(2),
    ];
    if (heyUsed) {
      cells.push(
        r.hey ? r.hey.achievedRpsMedian.toFixed(2) : '-',
        r.hey ? `${r.hey.deviationPct >= 0 ? '+' : ''}${r.hey.deviationPct.toFixed(2)} %` : '-',
        r.hey?.p50MsMedian?.toFixed(2) ?? '-',
        r.hey?.p99MsMedian?.toFixed(2) ?? '-',
      );
    }
    return cells;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]): string =>
    `| ${cells.map((c, i) => c.padStart(widths[i] ?? 0)).join(' | ')} |`;
  return [fmt(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)].join('\n');
}

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (!args.builtinServer) ensureWebappBuilt();
  const heyAvailable = args.hey && fs.existsSync(HEY);
  if (args.hey && !heyAvailable) log(`${HEY} not found: no hey baseline (apt-get install hey)`);

  const loadBefore = os.loadavg();
  const port = await freePort();
  const server = startServer(port, args.builtinServer);
  const serverName = args.builtinServer ? 'builtin node:http stand-in' : 'webapp/dist/server.js';
  const kill = (): void => {
    if (!server.exited()) server.child.kill('SIGKILL');
  };
  process.once('exit', kill);
  const onSignal = (sig: NodeJS.Signals): void => {
    log(`${sig}: stopping the server`);
    kill();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await waitReady(server);
    const url = `${server.base}/api/work`;
    log(`${serverName} ready on ${server.base}; warming up`);
    await runLoad({ url, rps: 50, durationMs: 1000 });

    const rows: Row[] = [];
    for (const rps of args.rates) {
      const runs: Summary[] = [];
      const heyRuns: HeyRun[] = [];
      const serverSeen: number[] = [];
      for (let rep = 1; rep <= args.reps; rep++) {
        const before = await serverCount(server.base);
        const s = await runLoad({ url, rps, durationMs: args.durationMs, timeoutMs: 5000 });
        const after = await serverCount(server.base);
        runs.push(s);
        if (before !== null && after !== null) serverSeen.push(after - before);
        log(
          `loadgen ${rps} rps #${rep}: achieved ${s.achievedRps} rps, total ${s.total}, failed ${s.failed}, p50 ${s.latencyMs?.p50} ms, p99 ${s.latencyMs?.p99} ms, late ${s.schedule?.late}, dropped ${s.schedule?.dropped}`,
        );
        if (server.exited())
          throw new Error(`the server died during the run; its output:\n${server.output()}`);
        if (heyAvailable) {
          const h = await runHey(url, rps, args.durationMs);
          heyRuns.push(h);
          log(
            `hey     ${rps} rps #${rep}: achieved ${h.achievedRps} rps (-c ${h.workers} -q ${h.qpsPerWorker})`,
          );
        }
      }
      const achieved = r2(median(runs.map((r) => r.achievedRps)));
      const dev = r2(((achieved - rps) / rps) * 100);
      const heyAchieved = heyRuns.length ? r2(median(heyRuns.map((h) => h.achievedRps))) : 0;
      rows.push({
        requestedRps: rps,
        loadgen: {
          achievedRpsMedian: achieved,
          deviationPct: dev,
          p50MsMedian: medianOrNull(runs.map((r) => r.latencyMs?.p50)),
          p99MsMedian: medianOrNull(runs.map((r) => r.latencyMs?.p99)),
          withinGoal: Math.abs(dev) <= GOAL_PCT,
          serverCountedMedian: serverSeen.length ? median(serverSeen) : null,
          lateSends: runs.reduce((n, r) => n + (r.schedule?.late ?? 0), 0),
          maxLagMs: Math.max(0, ...runs.map((r) => r.schedule?.maxLagMs ?? 0)),
          runs: runs.map((r) => ({
            achievedRps: r.achievedRps,
            total: r.total,
            ok: r.ok,
            failed: r.failed,
            errors: r.errors,
            versions: r.versions,
            latencyMs: r.latencyMs,
            schedule: r.schedule,
          })),
        },
        hey: heyRuns.length
          ? {
              achievedRpsMedian: heyAchieved,
              deviationPct: r2(((heyAchieved - rps) / rps) * 100),
              p50MsMedian: medianOrNull(heyRuns.map((h) => h.p50Ms)),
              p99MsMedian: medianOrNull(heyRuns.map((h) => h.p99Ms)),
              runs: heyRuns,
            }
          : null,
      });
    }

    const pass = rows.every((r) => r.loadgen.withinGoal);
    const result = {
      bench: 'loadgen',
      generatedAt: new Date().toISOString(),
      goal: `achieved rps within ${GOAL_PCT} % of requested (median of ${args.reps})`,
      pass,
      target: { server: serverName, url, loopback: true },
      durationSeconds: args.durationMs / 1000,
      repetitions: args.reps,
      machine: {
        cpus: os.cpus().length,
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        // other work on the machine skews latency tails; 1/5/15-minute load averages
        loadavgBefore: loadBefore.map(r2),
        loadavgAfter: os.loadavg().map(r2),
      },
      rows,
    };
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    fs.writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);

    console.log(
      `\nloadgen accuracy vs ${serverName} (GET /api/work, ${args.durationMs / 1000} s per run, median of ${args.reps})\n`,
    );
    console.log(table(rows, heyRuns(rows)));
    console.log(
      `\ngoal (within ${GOAL_PCT} %): ${pass ? 'met' : 'NOT met'}; wrote ${path.relative(ROOT, args.out)}`,
    );
    return !pass && args.strict ? 1 : 0;
  } finally {
    await stopServer(server);
    process.off('exit', kill);
  }
}

const heyRuns = (rows: Row[]): boolean => rows.some((r) => r.hey !== null);

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    log(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
