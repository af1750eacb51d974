/** What `bench:judge-load` reads from the processes it runs: /proc CPU and memory, Prometheus' own counters. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clkTck = 0;
/** Clock ticks per second of /proc/<pid>/stat's utime and stime. */
function ticksPerSecond(): number {
  if (!clkTck) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/** User + system CPU seconds a process has used so far (NaN when it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces): state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / ticksPerSecond();
  } catch {
    return Number.NaN;
  }
}

/** VmRSS and VmHWM (peak RSS over the process' life) in MB. */
export function memoryMb(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: Number.NaN, peak: Number.NaN };
  }
}

/** Samples VmRSS every `everyMs` until stopped; keeps the maximum. */
export function rssSampler(pid: number, everyMs = 500): { stop: () => number } {
  let max = memoryMb(pid).rss;
  const t = setInterval(() => {
    const r = memoryMb(pid).rss;
    if (r > max) max = r;
  }, everyMs);
  return {
    stop: () => {
      clearInterval(t);
      return Math.max(max, memoryMb(pid).rss);
    },
  };
}

/** Prometheus' own counters (from its /metrics, which is not a query and so counts nothing). */
export interface PromCounters {
  /** Requests to /api/v1/query and /api/v1/query_range (all status codes). */
  query: number;
  queryRange: number;
  /** Seconds spent serving them. */
  querySeconds: number;
  queryRangeSeconds: number;
  /** `prometheus_engine_query_duration_seconds_count{slice="inner_eval"}`: PromQL evaluations. */
  evaluations: number;
  headSeries: number;
}

function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    const v = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(v)) sum += v;
  }
  return sum;
}

export async function promCounters(promUrl: string): Promise<PromCounters> {
  const text = await (await fetch(`${promUrl}/metrics`, { signal: AbortSignal.timeout(30_000) })).text();
  return {
    query: metricSum(text, 'prometheus_http_requests_total', { handler: '/api/v1/query' }),
    queryRange: metricSum(text, 'prometheus_http_requests_total', { handler: '/api/v1/query_range' }),
    querySeconds: metricSum(text, 'prometheus_http_request_duration_seconds_sum', {
      handler: '/api/v1/query',
    }),
    queryRangeSeconds: metricSum(text, 'prometheus_http_request_duration_seconds_sum', {
      handler: '/api/v1/query_range',
    }),
    evaluations: metricSum(text, 'prometheus_engine_query_duration_seconds_count', { slice: 'inner_eval' }),
    headSeries: metricSum(text, 'prometheus_tsdb_head_series'),
  };
}

/** Reads per resource served by the fleet's kube API (kube-api.ts), and the store time they took. */
export interface KubeReads {
  reads: Record<string, number>;
  storeMs: number;
}

export async function kubeReads(statsUrl: string): Promise<KubeReads> {
  return (await (await fetch(statsUrl, { signal: AbortSignal.timeout(30_000) })).json()) as KubeReads;
}

export function diffReads(a: KubeReads, b: KubeReads): KubeReads {
  const reads: Record<string, number> = {};
  for (const [k, v] of Object.entries(b.reads)) {
    const d = v - (a.reads[k] ?? 0);
    if (d > 0) reads[k] = d;
  }
  return { reads, storeMs: b.storeMs - a.storeMs };
}

/** CPU seconds the whole machine has been busy (all cores: user, nice, system, irq, softirq, steal). */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return (user + nice + system + irq + softirq + steal) / ticksPerSecond();
}
