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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDuration, runLoad, type Summary } from '../../loadgen/src/index';
import { freePort } from '../../support/testing/processes';
import { HEY, type HeyRun, runHey } from './hey';
import { ensureWebappBuilt, ROOT, serverCount, startServer, stopServer, waitReady } from './target-server';
import { log, median, r2 } from './util';

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
