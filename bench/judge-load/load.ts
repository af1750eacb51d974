/**
 * An open-loop caller of `GET /api/v1/judge`: call k is due at start + k / rate whatever happened to the calls
 * before it (Argo's AnalysisRuns do not wait for each other), round-robin over the rollouts, so each rollout is asked
 * every `rollouts / rate` seconds as its AnalysisRun would. Latency counts from the due time, so queueing in the
 * generator or the server counts. Bounded: warm-up + measured calls, a per-call timeout (Argo's web provider: 10 s),
 * then it waits for what is in flight and returns.
 */
import { percentile } from '../../loadgen/src/stats';

export interface LoadOptions {
  url: string;
  token: string;
  targets: ReadonlyArray<{ namespace: string; name: string }>;
  rate: number;
  warmupSeconds: number;
  seconds: number;
  timeoutMs: number;
  /** Appended to each call's query string (e.g. the shipped template's empty threshold args). */
  extraQuery?: string;
  /** Called (not awaited) when the first measured call is due. */
  onMeasureStart?: () => void;
  /** A line every 15 s: sent, answered, in flight. */
  onProgress?: (msg: string) => void;
}

export interface LatencySummary {
  calls: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
}

export interface LoadRun extends LatencySummary {
  rate: number;
  /** Measured calls completed per second of measured time (the achieved rate). */
  achievedPerSecond: number;
  /** Non-200 answers and failed calls, by status ("timeout", "network" for no answer). */
  errorsByStatus: Record<string, number>;
  errors: number;
  verdicts: Record<string, number>;
  /** How late the generator itself sent calls (ms after their due time): p99 and max. */
  sendLagP99Ms: number;
  sendLagMaxMs: number;
  /** Wall seconds from the first measured due time to the last measured answer. */
  measuredSeconds: number;
}

/**
 * One `GET /api/v1/judge` as Argo's web provider makes it (bearer token, a deadline). Never throws and always settles
 * by the deadline (+1 s): undici in Node 20 can leave a fetch unsettled after its abort, with no socket left.
 */
export async function callJudge(
  base: string,
  token: string,
  t: { namespace: string; name: string },
  timeoutMs: number,
  extraQuery = '',
): Promise<{ status: string; body?: string }> {
  const url = `${base}/api/v1/judge?namespace=${encodeURIComponent(t.namespace)}&rollout=${encodeURIComponent(t.name)}${extraQuery}`;
  const ac = new AbortController();
  const deadline = setTimeout(() => ac.abort(), timeoutMs);
  const call = (async (): Promise<{ status: string; body?: string }> => {
    try {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
      const body = await res.text();
      return { status: String(res.status), body };
    } catch (err) {
      const name = (err as Error).name;
      return {
        status: ac.signal.aborted || name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network',
      };
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<{ status: string }>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'timeout' }), timeoutMs + 1000);
  });
  try {
    return await Promise.race([call, expired]);
  } finally {
    clearTimeout(deadline);
    clearTimeout(timer);
  }
}

export function summarize(latencies: number[]): LatencySummary {
  const s = Float64Array.from(latencies).sort();
  const mean = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
  return {
    calls: latencies.length,
    p50Ms: percentile(s, 50),
    p95Ms: percentile(s, 95),
    p99Ms: percentile(s, 99),
    meanMs: mean,
    maxMs: s[s.length - 1] ?? Number.NaN,
  };
}

export async function openLoop(o: LoadOptions): Promise<LoadRun> {
  const warm = Math.round(o.warmupSeconds * o.rate);
  const total = warm + Math.round(o.seconds * o.rate);
  const latencies: number[] = [];
  const lags: number[] = [];
  const errorsByStatus: Record<string, number> = {};
  const verdicts: Record<string, number> = {};
  const inflight = new Set<Promise<void>>();
  const gap = 1000 / o.rate;
  const start = performance.now() + 20;
  let measuredFrom = 0;
  let measuredTo = 0;
  let done = 0;

  const fire = (k: number, due: number) => {
    const t = o.targets[k % o.targets.length] as { namespace: string; name: string };
    const measured = k >= warm;
    if (measured) lags.push(performance.now() - due);
    const call = callJudge(o.url, o.token, t, o.timeoutMs, o.extraQuery);
    const p = (async () => {
      const { status, body } = await call;
      let verdict: string | undefined;
      try {
        verdict = body ? (JSON.parse(body) as { verdict?: string }).verdict : undefined;
      } catch {
        verdict = 'bad-json';
      }
      done++;
      if (!measured) return;
      const end = performance.now();
      measuredTo = Math.max(measuredTo, end);
      latencies.push(end - due);
      if (status !== '200') errorsByStatus[status] = (errorsByStatus[status] ?? 0) + 1;
      else verdicts[verdict ?? '?'] = (verdicts[verdict ?? '?'] ?? 0) + 1;
    })();
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };

  let k = 0;
  const progress = setInterval(() => {
    o.onProgress?.(`${k}/${total} sent, ${done} answered, ${inflight.size} in flight`);
  }, 15_000);
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (k < total && start + k * gap <= now) {
        if (k === warm) {
          measuredFrom = start + k * gap;
          o.onMeasureStart?.();
        }
        fire(k, start + k * gap);
        k++;
      }
      if (k >= total) return resolve();
      setTimeout(tick, Math.max(0, start + k * gap - performance.now()));
    };
    tick();
  });
  while (inflight.size > 0) await Promise.all([...inflight]);
  clearInterval(progress);

  const sum = summarize(latencies);
  const lagSorted = Float64Array.from(lags).sort();
  const measuredSeconds = (measuredTo - measuredFrom) / 1000;
  const errors = Object.values(errorsByStatus).reduce((a, b) => a + b, 0);
  return {
    rate: o.rate,
    ...sum,
    achievedPerSecond: sum.calls / Math.max(1e-9, measuredSeconds),
    errorsByStatus,
    errors,
    verdicts,
    sendLagP99Ms: percentile(lagSorted, 99),
    sendLagMaxMs: lagSorted[lagSorted.length - 1] ?? Number.NaN,
    measuredSeconds,
  };
}
