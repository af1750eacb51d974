/**
 * `npm run bench:judge-load`: the judge at fleet scale (issue #12, item 9). One AnalysisRun per canary calls
 * `GET /api/v1/judge` every 10 s, so 1,000 concurrent canaries are 100 calls/s.
 *
 * Starts, each on 127.0.0.1, a free port and a folder under one temp root:
 *   - the lab's Kubernetes API server (no controller) holding N Rollouts with a canary in progress, their stable and
 *     canary ReplicaSets and step AnalysisRuns, written as Argo writes them (seed.ts); during the history the
 *     canaries move through their steps (fleet.ts);
 *   - two ingress-gateway replicas as a scrape target with Istio's request metrics for every canary and stable
 *     service (scrape-target.ts), and Prometheus (Debian's 2.42) scraping both every 5 s;
 *   - the production build of the control center (`next start`, package.json config.nodeFlags, JUDGE_TOKEN).
 * After `--history` seconds of canary traffic (the canaries' age: 600 s gives the judge's longest query range at a
 * 5 s step), it calls the judge
 *   1. 60 times one at a time: latency without queueing, and the exact Prometheus queries, Kubernetes reads and
 *      control-center CPU per call;
 *   2. open loop (fixed schedule, latency from each call's due time, so queueing counts; 10 s timeout like Argo's web
 *      provider), round-robin over the rollouts: the baseline (10 calls/s over 100 rollouts, 10 s warm-up + 30 s),
 *      then the target (100 calls/s over all, 20 s warm-up + 60 s). Per run: latency percentiles, errors by status,
 *      Prometheus queries (its own request counters, before/after), the control center's CPU (/proc utime+stime) and
 *      peak sampled RSS, the CPU of every other process of the bench and of other work on the machine;
 *   3. with a CPU profile (Chrome DevTools protocol on a loopback inspector port), `--profile-seconds` more at the
 *      target rate: where the control center's CPU goes, by activity, area and function (source-mapped).
 * Writes bench/results/judge-load.json and prints a table. Everything is stopped and removed at the end, also on
 * failure or Ctrl-C.
 *
 *   npx tsx bench/judge-load/run.ts [--rate 100] [--seconds 60] [--warmup 20] [--baseline-rate 10]
 *     [--baseline-seconds 30] [--rollouts 1000] [--namespaces 50] [--history 600] [--restart]
 *     [--profile-seconds 20] [--hold] [--bare-url] [--no-build] [--out FILE]
 *
 * --restart restarts gateway replica 2 halfway through the history (its counters start again from zero).
 * Calls use the URL of the shipped AnalysisTemplate (manifests/app/41-analysistemplate-judge.yaml: its threshold args
 * empty); --bare-url sends only namespace and rollout (what the judge of before those args accepted).
 * --hold keeps everything running after the history (for poking at the judge by hand) until Ctrl-C.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SERVER_NODE_FLAGS } from '../../e2e/lab-fixture';
import { REPO_ROOT } from '../../support/testing/processes';
import { build, buildNeeded } from '../ui/stack';
import { fleetPlan, namespaceName, type RolloutPlan, type StepChange } from './fleet';
import { callJudge, type LatencySummary, type LoadRun, openLoop, summarize } from './load';
import {
  cpuSeconds,
  diffReads,
  type KubeReads,
  kubeReads,
  machineBusySeconds,
  memoryMb,
  type PromCounters,
  promCounters,
  rssSampler,
} from './measure';
import { type ProfileSummary, summarizeProfile } from './profile';
import { advanceCanary, createCanary, createNamespaces, type KubeApi, pool, TEMPLATE_QUERY } from './seed';
import {
  type Child,
  type ControlCenter,
  type KubeApiInfo,
  log,
  spawnReady,
  startControlCenter,
  startKubeApi,
  startPrometheus,
  startScrapeTarget,
  tempRoot,
} from './stack';

/** A promise awaited later: its rejection surfaces there, not as an unhandled rejection that ends the bench. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

const GOAL = { callsPerSecond: 100, p95Ms: 200, promQueriesPerCall: 2 };
const SCRAPE_SECONDS = 5;
const GATEWAY_REPLICAS = 2;
/** Argo's web metric provider gives up after 10 s. */
const CALL_TIMEOUT_MS = 10_000;
/** What follows namespace and rollout in each call's URL: the shipped template's empty threshold args (--bare-url: none). */
let extraQuery = TEMPLATE_QUERY;

interface Options {
  rollouts: number;
  namespaces: number;
  rate: number;
  seconds: number;
  warmup: number;
  baselineRate: number;
  baselineSeconds: number;
  history: number;
  restart: boolean;
  /** After the measured runs, load at `rate` for this long with the control center's profiler on (0: none). */
  profileSeconds: number;
  seed: number;
}

interface Procs {
  kube: KubeApiInfo;
  target: Child;
  prom: { proc: Child; url: string };
  cc: ControlCenter;
}

export interface RunFigures {
  callsPerSecond: number;
  achievedCallsPerSecond: number;
  rollouts: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  promQueriesPerCall: number;
  cpuPercent: number;
  rssMb: number;
  errors: number;
  errorsByStatus: Record<string, number>;
  calls: number;
  verdicts: Record<string, number>;
  measuredSeconds: number;
  /** CPU % of one core of each process over the measured window (the machine has `machine.cores`). */
  cpuPercentByProcess: Record<string, number>;
  /** CPU % (of one core) used by processes that are not this bench's: other work on the machine. */
  otherProcessesCpuPercent: number;
  /** Control-center CPU per measured call (ms): 1000 / this is its capacity per core, in calls/s. */
  cpuMsPerCall: number;
  prometheus: {
    instantQueriesPerCall: number;
    rangeQueriesPerCall: number;
    evaluationsPerCall: number;
    meanQueryMs: number;
    meanRangeQueryMs: number;
    /** Queries the control center sent with no judge call going on (per second), measured before the runs. */
    idleQueriesPerSecond: number;
  };
  kube: { readsPerCall: Record<string, number>; storeMsPerCall: number };
  generator: { sendLagP99Ms: number; sendLagMaxMs: number };
  loadavg: number[];
}

const round = (x: number, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

async function measureRun(
  p: Procs,
  label: string,
  targets: RolloutPlan[],
  rate: number,
  warmup: number,
  seconds: number,
  idleQueriesPerSecond: number,
): Promise<RunFigures> {
  const pids: Record<string, number> = {
    controlCenter: p.cc.proc.pid,
    prometheus: p.prom.proc.pid,
    kubeApi: p.kube.proc.pid,
    scrapeTarget: p.target.pid,
    loadGenerator: process.pid,
  };
  let before:
    | {
        t: number;
        cpu: Record<string, number>;
        machine: number;
        prom: Promise<PromCounters>;
        kube: Promise<KubeReads>;
      }
    | undefined;
  let rss: { stop: () => number } | undefined;
  log(
    `${label}: ${rate} calls/s over ${targets.length} rollouts, ${warmup} s warm-up + ${seconds} s measured`,
  );
  const run: LoadRun = await openLoop({
    url: p.cc.url,
    token: p.cc.judgeToken,
    targets,
    rate,
    warmupSeconds: warmup,
    seconds,
    timeoutMs: CALL_TIMEOUT_MS,
    extraQuery,
    onProgress: (msg) => log(`${label}: ${msg}`),
    onMeasureStart: () => {
      before = {
        t: performance.now(),
        cpu: Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)])),
        machine: machineBusySeconds(),
        prom: handled(promCounters(p.prom.url)),
        kube: handled(kubeReads(p.kube.statsUrl)),
      };
      rss = rssSampler(p.cc.proc.pid);
    },
  });
  const t1 = performance.now();
  const cpu1 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const machine1 = machineBusySeconds();
  const [prom1, kube1] = await Promise.all([promCounters(p.prom.url), kubeReads(p.kube.statsUrl)]);
  if (!before || !rss) throw new Error('the measured phase never started');
  const b = before;
  const [prom0, kube0] = await Promise.all([b.prom, b.kube]);
  const wall = (t1 - b.t) / 1000;
  const cpuPercentByProcess = Object.fromEntries(
    Object.keys(pids).map((k) => [k, round((100 * ((cpu1[k] ?? 0) - (b.cpu[k] ?? 0))) / wall)]),
  );
  const ours = Object.keys(pids).reduce((sum, k) => sum + ((cpu1[k] ?? 0) - (b.cpu[k] ?? 0)), 0);
  const calls = Math.max(1, run.calls);
  const dq = prom1.query - prom0.query;
  const dr = prom1.queryRange - prom0.queryRange;
  // The control center's own background queries over the window are not the judge's.
  const background = idleQueriesPerSecond * wall;
  const reads = diffReads(kube0, kube1);
  return {
    callsPerSecond: rate,
    achievedCallsPerSecond: round(run.achievedPerSecond),
    rollouts: targets.length,
    p50Ms: round(run.p50Ms),
    p95Ms: round(run.p95Ms),
    p99Ms: round(run.p99Ms),
    meanMs: round(run.meanMs),
    maxMs: round(run.maxMs),
    promQueriesPerCall: round(Math.max(0, dq + dr - background) / calls, 2),
    cpuPercent: cpuPercentByProcess.controlCenter ?? Number.NaN,
    rssMb: round(rss.stop()),
    errors: run.errors,
    errorsByStatus: run.errorsByStatus,
    calls: run.calls,
    verdicts: run.verdicts,
    measuredSeconds: round(run.measuredSeconds),
    cpuPercentByProcess,
    otherProcessesCpuPercent: round((100 * (machine1 - b.machine - ours)) / wall),
    cpuMsPerCall: round((1000 * ((cpu1.controlCenter ?? 0) - (b.cpu.controlCenter ?? 0))) / calls),
    prometheus: {
      instantQueriesPerCall: round(dq / calls, 2),
      rangeQueriesPerCall: round(dr / calls, 2),
      evaluationsPerCall: round((prom1.evaluations - prom0.evaluations) / calls, 2),
      meanQueryMs: round((1000 * (prom1.querySeconds - prom0.querySeconds)) / Math.max(1, dq)),
      meanRangeQueryMs: round((1000 * (prom1.queryRangeSeconds - prom0.queryRangeSeconds)) / Math.max(1, dr)),
      idleQueriesPerSecond: round(idleQueriesPerSecond, 2),
    },
    kube: {
      readsPerCall: Object.fromEntries(Object.entries(reads.reads).map(([k, v]) => [k, round(v / calls, 2)])),
      storeMsPerCall: round(reads.storeMs / calls, 2),
    },
    generator: { sendLagP99Ms: round(run.sendLagP99Ms), sendLagMaxMs: round(run.sendLagMaxMs) },
    loadavg: loadavg().map((x) => round(x, 2)),
  };
}

async function main(): Promise<number> {
  const { values: o } = parseArgs({
    options: {
      rollouts: { type: 'string', default: '1000' },
      namespaces: { type: 'string', default: '50' },
      rate: { type: 'string', default: '100' },
      seconds: { type: 'string', default: '60' },
      warmup: { type: 'string', default: '20' },
      'baseline-rate': { type: 'string', default: '10' },
      'baseline-seconds': { type: 'string', default: '30' },
      history: { type: 'string', default: '600' },
      restart: { type: 'boolean', default: false },
      'profile-seconds': { type: 'string', default: '20' },
      hold: { type: 'boolean', default: false },
      'bare-url': { type: 'boolean', default: false },
      seed: { type: 'string', default: '12' },
      'no-build': { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(REPO_ROOT, 'bench/results/judge-load.json') },
    },
  });
  const opt: Options = {
    rollouts: Number(o.rollouts),
    namespaces: Number(o.namespaces),
    rate: Number(o.rate),
    seconds: Number(o.seconds),
    warmup: Number(o.warmup),
    baselineRate: Number(o['baseline-rate']),
    baselineSeconds: Number(o['baseline-seconds']),
    history: Number(o.history),
    restart: o.restart ?? false,
    profileSeconds: Number(o['profile-seconds']),
    seed: Number(o.seed),
  };
  const out = path.resolve(o.out ?? '');
  if (o['bare-url']) extraQuery = '';

  const stale = buildNeeded();
  if (stale && o['no-build']) throw new Error(`${stale}: run \`npm run build\` first (or drop --no-build)`);
  if (stale) {
    log(`${stale}: building`);
    await build();
  }

  const root = tempRoot(tmpdir());
  const started: Child[] = [];
  let stopping: Promise<void> | null = null;
  const stopAll = () => {
    stopping ??= (async () => {
      for (const c of [...started].reverse()) await c.stop().catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    })();
    return stopping;
  };
  const onSignal = () => void stopAll().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const budgetMs =
    (opt.history + opt.warmup + opt.seconds + opt.baselineSeconds + opt.profileSeconds + 900) * 1000;
  const watchdog = setTimeout(() => {
    log(`run budget of ${Math.round(budgetMs / 60_000)} min exceeded: stopping`);
    void stopAll().finally(() => process.exit(2));
  }, budgetMs);

  try {
    const plans = fleetPlan({
      rollouts: opt.rollouts,
      namespaces: opt.namespaces,
      historySeconds: opt.history,
      seed: opt.seed,
    });

    // 1. The fleet's kube API and its objects.
    const kube = await startKubeApi(root);
    started.push(kube.proc);
    const api: KubeApi = { url: kube.url, ca: kube.caPem, token: kube.token };
    const seedStart = performance.now();
    await createNamespaces(
      api,
      Array.from({ length: Math.min(opt.namespaces, opt.rollouts) }, (_, i) => namespaceName(i)),
    );
    const uids = new Map<number, string>();
    await pool(plans, 8, async (pl) => {
      uids.set(pl.index, await createCanary(api, pl));
    });
    log(`seeded ${plans.length} canaries in ${round((performance.now() - seedStart) / 1000)} s`);

    // 2. T0: the canaries' traffic starts at the gateway replicas; Prometheus scrapes them.
    const t0 = Date.now();
    const target = await startScrapeTarget({
      fleet: {
        rollouts: opt.rollouts,
        namespaces: opt.namespaces,
        historySeconds: opt.history,
        seed: opt.seed,
      },
      t0,
      replicas: GATEWAY_REPLICAS,
      restart: opt.restart ? { replica: 1, atSeconds: Math.round(opt.history / 2) } : null,
      host: '127.0.0.1',
    });
    started.push(target.proc);
    const prom = await startPrometheus(root, target.urls, SCRAPE_SECONDS);
    started.push(prom.proc);
    log(
      `prometheus on ${prom.url} scraping ${target.urls.length} gateway replicas every ${SCRAPE_SECONDS} s`,
    );

    // 3. The canaries move through their steps over the history, as Argo would move them.
    const changes: Array<{ at: number; plan: RolloutPlan; from: StepChange; to: StepChange }> = [];
    for (const pl of plans)
      for (let i = 1; i < pl.steps.length; i++)
        changes.push({
          at: (pl.steps[i] as StepChange).at,
          plan: pl,
          from: pl.steps[i - 1] as StepChange,
          to: pl.steps[i] as StepChange,
        });
    changes.sort((a, b) => a.at - b.at);
    let stepErrors = 0;
    let stepsDone = 0;
    const stepper = (async () => {
      for (const c of changes) {
        const wait = t0 + c.at * 1000 - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (stopping) return;
        await advanceCanary(api, c.plan, uids.get(c.plan.index) ?? '', c.from, c.to).then(
          () => stepsDone++,
          (err: Error) => {
            stepErrors++;
            if (stepErrors <= 3) log(`step change of ${c.plan.namespace}/${c.plan.name}: ${err.message}`);
          },
        );
      }
    })();

    // 4. The control center.
    const cc = await startControlCenter(root, {
      kubeconfig: kube.kubeconfig,
      prometheusUrl: prom.url,
      inspect: opt.profileSeconds > 0,
    });
    started.push(cc.proc);
    log(`control center on ${cc.url} (pid ${cc.proc.pid}, build ${cc.buildId})`);

    // 5. The history: the canaries age; the control center idles.
    for (;;) {
      const left = t0 + opt.history * 1000 - Date.now();
      if (left <= 0) break;
      const c = await promCounters(prom.url).catch(() => null);
      log(
        `history: ${Math.round(left / 1000)} s to go; ${c?.headSeries ?? '?'} series in Prometheus, ` +
          `${stepsDone}/${changes.length} step changes`,
      );
      await new Promise((r) => setTimeout(r, Math.min(left, 60_000)));
    }
    await stepper;
    if (stepErrors > 0) throw new Error(`${stepErrors} step changes failed`);

    // One call by hand: the judge must answer before anything is measured.
    const probe = plans[0] as RolloutPlan;
    // The first call starts the control center's informers (a full LIST of every watched kind of the fleet, as a
    // running control center has): the probe waits for that start-up, up to 5 tries.
    let answer = await callJudge(cc.url, cc.judgeToken, probe, CALL_TIMEOUT_MS, extraQuery);
    for (let i = 1; i < 5 && answer.status === 'timeout'; i++) {
      log(`probe: the judge answered ${answer.status} (informers starting); again`);
      answer = await callJudge(cc.url, cc.judgeToken, probe, CALL_TIMEOUT_MS, extraQuery);
    }
    const probeBody = answer.body ?? '';
    if (answer.status !== '200')
      throw new Error(`the judge answered ${answer.status}: ${probeBody.slice(0, 500)}`);
    const probeJson = JSON.parse(probeBody) as {
      verdict: string;
      window?: unknown;
      dataIssues?: string[];
      explanation?: string;
    };
    log(
      `probe ${probe.namespace}/${probe.name}: ${probeJson.verdict} ${JSON.stringify(probeJson.window)} ${probeJson.dataIssues?.join('; ') ?? ''}`,
    );

    if (o.hold) {
      log(
        `holding (Ctrl-C ends): judge ${cc.url}/api/v1/judge?namespace=${probe.namespace}&rollout=${probe.name} ` +
          `with Authorization: Bearer ${cc.judgeToken}; control center pid ${cc.proc.pid}; Prometheus ${prom.url}; ` +
          `KUBECONFIG=${kube.kubeconfig}`,
      );
      await new Promise(() => undefined);
    }

    const procs: Procs = { kube, target: target.proc, prom, cc };
    const single = await oneAtATime(procs, plans, 60);
    log(
      `one call at a time: p50 ${single.p50Ms} ms, p95 ${single.p95Ms} ms, ${single.promQueriesPerCall} Prometheus ` +
        `queries and ${JSON.stringify(single.kubeReadsPerCall)} kube reads per call`,
    );
    const baselineTargets = plans.slice(0, Math.max(1, Math.round(opt.baselineRate * 10)));
    const baseline = await measureRun(
      procs,
      'baseline',
      baselineTargets,
      opt.baselineRate,
      Math.min(10, opt.warmup),
      opt.baselineSeconds,
      single.idleQueriesPerSecond,
    );
    const main = await measureRun(
      procs,
      'target',
      plans,
      opt.rate,
      opt.warmup,
      opt.seconds,
      single.idleQueriesPerSecond,
    );
    const headSeries = (await promCounters(prom.url)).headSeries;
    const ccPeak = memoryMb(cc.proc.pid).peak;

    let profile: (ProfileSummary & { calls: number; rate: number; seconds: number }) | null = null;
    if (cc.inspectPort && opt.profileSeconds > 0) {
      profile = await profiledRun(root, cc, plans, opt.rate, opt.profileSeconds).catch((err: Error) => {
        log(`no profile: ${err.message}`);
        return null;
      });
    }

    const steps = { 1: 0, 3: 0, 5: 0 } as Record<number, number>;
    const health: Record<string, number> = {};
    for (const pl of plans) {
      const last = pl.steps[pl.steps.length - 1] as StepChange;
      steps[last.stepIndex] = (steps[last.stepIndex] ?? 0) + 1;
      health[pl.health] = (health[pl.health] ?? 0) + 1;
    }
    const result = {
      bench: 'judge-load',
      generatedAt: new Date().toISOString(),
      commit: gitHead(),
      build: cc.buildId,
      goal: GOAL,
      pass: {
        p95: main.p95Ms <= GOAL.p95Ms && main.errors === 0,
        promQueriesPerCall: single.promQueriesPerCall <= GOAL.promQueriesPerCall,
      },
      ...main,
      /** Exact, from the calls made one at a time (under load, calls still queued skew the window's ratio). */
      promQueriesPerCall: single.promQueriesPerCall,
      promQueriesPerCallOverLoadWindow: main.promQueriesPerCall,
      rssPeakMbOverLife: round(ccPeak),
      machine: {
        cores: cpus().length,
        cpu: cpus()[0]?.model ?? '',
        memGb: round(totalmem() / 2 ** 30),
        node: process.version,
        loadavg: loadavg().map((x) => round(x, 2)),
      },
      baseline,
      fleet: {
        rollouts: plans.length,
        namespaces: Math.min(opt.namespaces, opt.rollouts),
        gatewayReplicas: GATEWAY_REPLICAS,
        scrapeSeconds: SCRAPE_SECONDS,
        prometheusHeadSeries: headSeries,
        historySeconds: opt.history,
        gatewayRestart: opt.restart,
        canariesAtStep: steps,
        canaryHealth: health,
        kubeObjects: {
          rollouts: plans.length,
          replicaSets: 2 * plans.length,
          analysisRuns: plans.reduce((n, pl) => n + pl.steps.length, 0),
        },
        probe: {
          rollout: `${probe.namespace}/${probe.name}`,
          verdict: probeJson.verdict,
          window: probeJson.window,
          dataIssues: probeJson.dataIssues,
          explanation: probeJson.explanation,
        },
      },
      /** One call at a time (no queueing): what a call costs end to end. */
      oneAtATime: single,
      serverNodeFlags: SERVER_NODE_FLAGS.join(' '),
      profile,
    };
    printTable(result);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
    return result.pass.p95 && result.pass.promQueriesPerCall ? 0 : 1;
  } finally {
    clearTimeout(watchdog);
    await stopAll();
  }
}

export interface OneAtATime extends LatencySummary {
  /** Prometheus HTTP queries (query + query_range) per call: exact, nothing else runs meanwhile. */
  promQueriesPerCall: number;
  /** The judge's own count of its metrics queries (`metricsQueries` in its answer), when it reports one. */
  judgeReportedQueries: number | null;
  /** Kubernetes reads per call (GET and LIST served by the fleet's API server). */
  kubeReadsPerCall: Record<string, number>;
  /** Queries the control center sends on its own (no judge call going on). */
  idleQueriesPerSecond: number;
  /** Control-center CPU per call (ms): one core serves at most 1000 / this calls per second. */
  cpuMsPerCall: number;
  /** Prometheus CPU per call (ms), its ingestion (measured idle just before) taken out: approximate. */
  prometheusCpuMsPerCall: number;
  /** Prometheus CPU (% of a core) for ingesting the two gateway replicas' scrapes, no query running. */
  prometheusIngestCpuPercent: number;
  /** The fleet's kube API server CPU per call (ms). */
  kubeApiCpuMsPerCall: number;
}

/**
 * `n` calls one after the other over different rollouts: latency without any queueing, and the exact Prometheus
 * queries and Kubernetes reads one call makes (the control center's background queries, measured just before, are
 * taken out).
 */
async function oneAtATime(p: Procs, plans: RolloutPlan[], n: number): Promise<OneAtATime> {
  // 10 s with no judge call: the control center's own queries, and Prometheus' CPU for ingesting the scrapes.
  const idle0 = await promCounters(p.prom.url);
  const idleCpu0 = cpuSeconds(p.prom.proc.pid);
  const idleT0 = performance.now();
  await new Promise((r) => setTimeout(r, 10_000));
  const idle1 = await promCounters(p.prom.url);
  const idleMs = performance.now() - idleT0;
  const idlePerMs = (idle1.query + idle1.queryRange - idle0.query - idle0.queryRange) / idleMs;
  const promIdleCpuPerMs = (cpuSeconds(p.prom.proc.pid) - idleCpu0) / idleMs;

  const [prom0, kube0] = await Promise.all([promCounters(p.prom.url), kubeReads(p.kube.statsUrl)]);
  const t0 = performance.now();
  const cpu0 = cpuSeconds(p.cc.proc.pid);
  const promCpu0 = cpuSeconds(p.prom.proc.pid);
  const kubeCpu0 = cpuSeconds(p.kube.proc.pid);
  const ms: number[] = [];
  const reported: number[] = [];
  for (let i = 0; i < n; i++) {
    const pl = plans[(i * 37) % plans.length] as RolloutPlan;
    const t = performance.now();
    const { body = '' } = await callJudge(p.cc.url, p.cc.judgeToken, pl, CALL_TIMEOUT_MS, extraQuery);
    ms.push(performance.now() - t);
    try {
      const q = (JSON.parse(body) as { metricsQueries?: unknown }).metricsQueries;
      if (typeof q === 'number') reported.push(q);
    } catch {
      // not JSON: counted by the latency only
    }
  }
  const elapsed = performance.now() - t0;
  const cpuMs = (1000 * (cpuSeconds(p.cc.proc.pid) - cpu0)) / n;
  const promCpuMs = (1000 * (cpuSeconds(p.prom.proc.pid) - promCpu0 - promIdleCpuPerMs * elapsed)) / n;
  const kubeCpuMs = (1000 * (cpuSeconds(p.kube.proc.pid) - kubeCpu0)) / n;
  const [prom1, kube1] = await Promise.all([promCounters(p.prom.url), kubeReads(p.kube.statsUrl)]);
  const queries = prom1.query + prom1.queryRange - prom0.query - prom0.queryRange - idlePerMs * elapsed;
  const reads = diffReads(kube0, kube1);
  const s = summarize(ms);
  return {
    calls: s.calls,
    p50Ms: round(s.p50Ms),
    p95Ms: round(s.p95Ms),
    p99Ms: round(s.p99Ms),
    meanMs: round(s.meanMs),
    maxMs: round(s.maxMs),
    promQueriesPerCall: round(Math.max(0, queries) / n, 2),
    idleQueriesPerSecond: round(idlePerMs * 1000, 3),
    cpuMsPerCall: round(cpuMs),
    prometheusCpuMsPerCall: round(promCpuMs),
    prometheusIngestCpuPercent: round(promIdleCpuPerMs * 1e5),
    kubeApiCpuMsPerCall: round(kubeCpuMs),
    judgeReportedQueries: reported.length
      ? round(reported.reduce((a, b) => a + b, 0) / reported.length, 2)
      : null,
    kubeReadsPerCall: Object.fromEntries(Object.entries(reads.reads).map(([k, v]) => [k, round(v / n, 2)])),
  };
}

/**
 * Load at `rate` for `seconds` with a CPU profile of the control center over exactly that time (inspector opened by
 * SIGUSR1 on its loopback --inspect-port, sampled by profiler.ts); kept apart from the measured runs, whose figures
 * the profiler would change.
 */
async function profiledRun(
  root: string,
  cc: ControlCenter,
  plans: RolloutPlan[],
  rate: number,
  seconds: number,
): Promise<ProfileSummary & { calls: number; rate: number; seconds: number }> {
  const file = path.join(root, 'control-center.cpuprofile');
  process.kill(cc.proc.pid, 'SIGUSR1');
  const { proc } = await spawnReady(
    'profiler',
    process.execPath,
    [
      '--experimental-websocket',
      '--import',
      'tsx',
      'bench/judge-load/profiler.ts',
      String(cc.inspectPort),
      file,
    ],
    process.env,
    30_000,
  );
  log(`profiling the control center: ${rate} calls/s for ${seconds} s`);
  let run: LoadRun;
  try {
    run = await openLoop({
      url: cc.url,
      token: cc.judgeToken,
      targets: plans,
      rate,
      warmupSeconds: 0,
      seconds,
      timeoutMs: CALL_TIMEOUT_MS,
      extraQuery,
    });
  } finally {
    await proc.stop();
  }
  return { ...summarizeProfile(file), calls: run.calls, rate, seconds };
}

function gitHead(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT }).toString().trim();
  } catch {
    return null;
  }
}

function printTable(
  r: RunFigures & {
    baseline: RunFigures;
    oneAtATime: OneAtATime;
    promQueriesPerCallOverLoadWindow: number;
    profile: (ProfileSummary & { calls: number; rate: number; seconds: number }) | null;
  },
): void {
  const runs = [r.baseline, r];
  const rows: string[][] = [
    ['', ...runs.map((x) => `${x.callsPerSecond} calls/s (${x.rollouts} canaries)`), 'goal at 100/s'],
    ['calls measured (achieved/s)', ...runs.map((x) => `${x.calls} (${x.achievedCallsPerSecond}/s)`), ''],
    ['p50', ...runs.map((x) => `${x.p50Ms} ms`), ''],
    ['p95', ...runs.map((x) => `${x.p95Ms} ms`), `<= ${GOAL.p95Ms} ms`],
    ['p99', ...runs.map((x) => `${x.p99Ms} ms`), ''],
    ['mean', ...runs.map((x) => `${x.meanMs} ms`), ''],
    ['errors', ...runs.map((x) => `${x.errors} ${JSON.stringify(x.errorsByStatus)}`), '0'],
    [
      'Prometheus queries / call (over the window)',
      ...runs.map((x) =>
        String(
          'promQueriesPerCallOverLoadWindow' in x ? x.promQueriesPerCallOverLoadWindow : x.promQueriesPerCall,
        ),
      ),
      `<= ${GOAL.promQueriesPerCall}`,
    ],
    [
      '  instant + range / call',
      ...runs.map((x) => `${x.prometheus.instantQueriesPerCall} + ${x.prometheus.rangeQueriesPerCall}`),
      '',
    ],
    [
      '  Prometheus ms / query (inst, range)',
      ...runs.map((x) => `${x.prometheus.meanQueryMs}, ${x.prometheus.meanRangeQueryMs}`),
      '',
    ],
    [
      'kube reads / call',
      ...runs.map((x) =>
        Object.entries(x.kube.readsPerCall)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      ),
      '',
    ],
    ['control center CPU (% of a core)', ...runs.map((x) => `${x.cpuPercent} %`), ''],
    ['control center CPU per call', ...runs.map((x) => `${x.cpuMsPerCall} ms`), ''],
    ['control center RSS (max sampled)', ...runs.map((x) => `${x.rssMb} MB`), ''],
    [
      'CPU % prom / kube API / target / generator',
      ...runs.map((x) => {
        const c = x.cpuPercentByProcess;
        return `${c.prometheus} / ${c.kubeApi} / ${c.scrapeTarget} / ${c.loadGenerator}`;
      }),
      '',
    ],
    ['verdicts', ...runs.map((x) => JSON.stringify(x.verdicts)), ''],
    ['CPU % of other work on the machine', ...runs.map((x) => `${x.otherProcessesCpuPercent} %`), ''],
    ['load average (1, 5, 15 min)', ...runs.map((x) => x.loadavg.join(' ')), ''],
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
  console.log(
    `\none call at a time (${r.oneAtATime.calls} calls, no queueing): p50 ${r.oneAtATime.p50Ms} ms, ` +
      `p95 ${r.oneAtATime.p95Ms} ms; CPU per call: control center ${r.oneAtATime.cpuMsPerCall} ms, ` +
      `Prometheus ~${r.oneAtATime.prometheusCpuMsPerCall} ms (its ingestion, ` +
      `${r.oneAtATime.prometheusIngestCpuPercent} % of a core, taken out), kube API ${r.oneAtATime.kubeApiCpuMsPerCall} ms; ` +
      `${r.oneAtATime.promQueriesPerCall} Prometheus queries per call` +
      (r.oneAtATime.judgeReportedQueries !== null
        ? ` (the judge says ${r.oneAtATime.judgeReportedQueries})`
        : '') +
      `; kube reads per call ${JSON.stringify(r.oneAtATime.kubeReadsPerCall)}`,
  );
  if (r.profile) {
    const pr = r.profile;
    console.log(
      `\ncontrol center CPU profile: ${pr.rate} calls/s for ${pr.seconds} s (${pr.calls} calls), ${pr.nonIdleSeconds} s not idle`,
    );
    console.log('by activity:');
    for (const a of pr.activities) console.log(`  ${String(a.share).padStart(5)} %  ${a.activity}`);
    console.log('   self  inclusive  area');
    for (const a of pr.areas.slice(0, 18))
      console.log(
        `  ${String(a.selfShare).padStart(5)} %  ${String(a.inclusiveShare).padStart(6)} %   ${a.area}`,
      );
    console.log('top functions (self):');
    for (const f of pr.top.slice(0, 15)) console.log(`  ${String(f.share).padStart(5)} %  ${f.fn}`);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench judge-load: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
