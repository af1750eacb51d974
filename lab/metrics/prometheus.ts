import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { openPrivateLog, privateDir, writePrivateFile } from '../../support/files/private-files';
import type { LabStore } from '../store/lab-store';
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
  await killStalePrometheus(pidFile, configFile);
  const logFd = openPrivateLog(path.join(root, 'prometheus.log'));
  let child: ChildProcess;
  try {
    child = spawn(
      binary,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${path.join(root, 'data')}`,
        `--storage.tsdb.retention.time=${opts.retention ?? '6h'}`,
        // Loopback by default (LAB_HOST). No --web.enable-lifecycle and no --web.enable-admin-api: any local
        // process could otherwise stop Prometheus (POST /-/quit) or delete its series; the lab reloads with SIGHUP.
        `--web.listen-address=${host}:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', logFd, logFd] },
    );
  } finally {
    fs.closeSync(logFd);
  }
  if (child.pid !== undefined) writePrivateFile(pidFile, String(child.pid));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const url = `http://${host}:${port}`;
  const stop = async () => {
    stopPods?.();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      stopPods?.();
      throw new Error(`prometheus exited during start-up; see ${path.join(root, 'prometheus.log')}`);
    }
    const ok = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready at ${url} after ${opts.readyTimeoutMs ?? 30_000} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
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

/**
 * A lab killed with SIGKILL leaves its Prometheus running (holding the port and the TSDB lock), and the next lab's
 * Prometheus could not start. Kills the one recorded in `pidFile` if it is still ours, and waits until it is gone.
 */
async function killStalePrometheus(pidFile: string, marker: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  const alive = () => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
    } catch {
      return false;
    }
  };
  if (!Number.isInteger(pid) || pid <= 0 || !alive()) return;
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
}
