import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { privateDir, writePrivateFile } from '../../support/files/private-files';
import type { LabStore } from '../store/lab-store';
import { killStaleAndWait, type RunningProcess, spawnLogged, terminate } from '../workloads/child-process';
import { findOnPath } from './find-binary';
import { watchPodTargets } from './pod-targets';

export interface ScrapeTarget {
  job: string;
  /** Full URL of the metrics endpoint, e.g. `http://127.0.0.1:8081/stats/prometheus`. */
  url: string;
}

export interface PrometheusOptions {
  dir: string;
  host?: string;
  /** 9090 in the lab. */
  port?: number;
  targets: ScrapeTarget[];
  scrapeIntervalSeconds?: number;
  /** When given, every Running pod's `/metrics` is scraped too (job `lab-pods`, file_sd kept in sync). */
  store?: LabStore;
  /** Default: `prometheus` on PATH. */
  binary?: string;
  retention?: string;
  readyTimeoutMs?: number;
}

export interface Prometheus {
  url: string;
  /** Rewrites the static targets and reloads (SIGHUP: the HTTP lifecycle API stays off). */
  setTargets(targets: ScrapeTarget[]): Promise<void>;
  stop(): Promise<void>;
}

export function prometheusConfig(opts: {
  targets: ScrapeTarget[];
  scrapeIntervalSeconds: number;
  podTargetsFile?: string;
}): string {
  const interval = `${opts.scrapeIntervalSeconds}s`;
  const jobs: Record<string, unknown>[] = opts.targets.map((t) => {
    const u = new URL(t.url);
    return {
      job_name: t.job,
      scheme: u.protocol.replace(':', ''),
      metrics_path: u.pathname,
      ...(u.search ? { params: Object.fromEntries(u.searchParams.entries()) } : {}),
      static_configs: [{ targets: [u.host] }],
    };
  });
  if (opts.podTargetsFile)
    jobs.push({
      job_name: 'lab-pods',
      metrics_path: '/metrics',
      file_sd_configs: [{ files: [opts.podTargetsFile], refresh_interval: interval }],
    });
  return YAML.stringify({
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    scrape_configs: jobs,
  });
}

/**
 * Starts the `prometheus` binary (when there is one; else null) with a generated config under `<dir>/prometheus`,
 * scraping the given targets (the gateway's Istio metrics) and, with a store, each pod's `/metrics`.
 */
export async function startPrometheus(opts: PrometheusOptions): Promise<Prometheus | null> {
  const binary = opts.binary ?? findOnPath('prometheus');
  if (!binary) return null;
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 9090;
  const root = path.join(path.resolve(opts.dir), 'prometheus');
  const configFile = path.join(root, 'prometheus.yml');
  const podTargetsFile = opts.store ? path.join(root, 'targets', 'pods.json') : undefined;
  const interval = opts.scrapeIntervalSeconds ?? 5;
  privateDir(root);
  privateDir(path.join(root, 'data'));
  const writeConfig = (targets: ScrapeTarget[]) =>
    writePrivateFile(
      configFile,
      prometheusConfig({ targets, scrapeIntervalSeconds: interval, podTargetsFile }),
    );
  writeConfig(opts.targets);
  const stopPods =
    opts.store && podTargetsFile ? watchPodTargets(opts.store, podTargetsFile, host) : undefined;
  const pidFile = path.join(root, 'prometheus.pid');
  const stale = readPid(pidFile);
  if (stale) await killStaleAndWait(stale, configFile);
  const logFile = path.join(root, 'prometheus.log');
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${path.join(root, 'data')}`,
    `--storage.tsdb.retention.time=${opts.retention ?? '6h'}`,
    // Loopback by default (LAB_HOST). No --web.enable-lifecycle and no --web.enable-admin-api: any local
    // process could otherwise stop Prometheus (POST /-/quit) or delete its series; the lab reloads with SIGHUP.
    `--web.listen-address=${host}:${port}`,
    '--log.level=warn',
  ];
  const url = `http://${host}:${port}`;
  const timeoutMs = opts.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let proc: RunningProcess;
  // A start can fail for a moment after a crash (the port or the TSDB lock not yet let go): a few tries within the
  // deadline, each failure with the end of prometheus.log.
  for (let attempt = 1; ; attempt++) {
    proc = spawnLogged({ command: binary, args, env: inheritedEnv(), cwd: root, logFile });
    if (proc.child.pid !== undefined) writePrivateFile(pidFile, String(proc.child.pid));
    const outcome = await untilReady(url, proc, deadline);
    if (outcome === 'ready') break;
    if (outcome === 'exited' && attempt < START_ATTEMPTS && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500 * attempt));
      continue;
    }
    stopPods?.();
    await terminate(proc, 5000);
    throw new Error(
      outcome === 'exited'
        ? `prometheus exited during start-up (${attempt} tries); the end of ${logFile}:\n${logTail(logFile)}`
        : `prometheus not ready at ${url} after ${timeoutMs} ms; the end of ${logFile}:\n${logTail(logFile)}`,
    );
  }
  const running = proc;
  const { child } = running;
  const stop = async () => {
    stopPods?.();
    await terminate(running, 5000);
  };
  return {
    url,
    async setTargets(targets) {
      const before = await lastReload(url);
      writeConfig(targets);
      child.kill('SIGHUP');
      await waitForReload(url, before, opts.readyTimeoutMs ?? 30_000);
    },
    stop,
  };
}

/** Prometheus' own `prometheus_config_last_reload_*` gauges: when the config was last loaded, and whether it worked. */
async function lastReload(url: string): Promise<{ at: number; ok: boolean }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    at: gauge('prometheus_config_last_reload_success_timestamp_seconds'),
    ok: gauge('prometheus_config_last_reload_successful') === 1,
  };
}

/** After SIGHUP: resolves once Prometheus loaded the new config (a later success timestamp), throws if it refused it. */
async function waitForReload(url: string, before: { at: number }, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await lastReload(url);
    if (!now.ok) throw new Error(`prometheus reload failed: see prometheus.log`);
    if (now.at > before.at) return;
    if (Date.now() > deadline) throw new Error(`prometheus did not reload within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const START_ATTEMPTS = 3;

function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

/** The pid a previous run recorded (a lab killed with SIGKILL leaves its Prometheus running), or null. */
function readPid(pidFile: string): number | null {
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Polls `/-/ready` until it answers 200, the process exits, or the deadline passes. */
async function untilReady(
  url: string,
  proc: RunningProcess,
  deadline: number,
): Promise<'ready' | 'exited' | 'timeout'> {
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  for (;;) {
    if (exited) return 'exited';
    // Bounded: whatever else may hold the port need not answer.
    const ok = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    // The answer counts only if our process is still there (not another one on the port).
    if (ok && !exited) return 'ready';
    if (exited) return 'exited';
    if (Date.now() > deadline) return 'timeout';
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The last lines of a log, for an error message. */
function logTail(file: string, lines = 8): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
