import http from 'node:http';
import https from 'node:https';
import {
  DEFAULT_DURATION_MS,
  DEFAULT_MAX_INFLIGHT,
  DEFAULT_TIMEOUT_MS,
  LATE_THRESHOLD_MS,
  MAX_DURATION_MS,
  validateOptions,
} from './options';
import { increment, latencyStats, Samples, sortedCounts } from './stats';
import type {
  LoadOptions,
  Progress,
  RequestResult,
  RunHooks,
  ScheduleStats,
  Summary,
  VersionStats,
} from './types';

/** JSON bodies larger than this are not parsed for `version`. */
const MAX_JSON_BODY = 64 * 1024;

class RequestTimeoutError extends Error {
  readonly code = 'timeout';
}
class DrainAbortError extends Error {
  readonly code = 'aborted';
}

const nowNs = (): bigint => process.hrtime.bigint();
const msSince = (t0: bigint): number => Number(nowNs() - t0) / 1e6;
/** Wait for `p` or `ms`, whichever comes first, without leaving a timer behind. */
async function within(p: Promise<void>, ms: number): Promise<void> {
  let t: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((r) => (t = setTimeout(r, ms)))]);
  clearTimeout(t);
}

function errorKind(err: unknown): string {
  if (err instanceof RequestTimeoutError || err instanceof DrainAbortError) return err.code;
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; name?: unknown };
    if (typeof e.code === 'string' && e.code !== '') return e.code;
    if (typeof e.name === 'string' && e.name !== '' && e.name !== 'Error') return e.name;
  }
  return 'error';
}

interface VersionAcc {
  count: number;
  ok: number;
  failed: number;
  statusCodes: Record<string, number>;
  samples: Samples;
}

/**
 * Run one bounded load test and resolve with its summary. Never rejects for HTTP or network
 * errors (they are counted); rejects only for invalid options.
 */
export async function runLoad(options: LoadOptions, hooks: RunHooks = {}): Promise<Summary> {
  validateOptions(options);
  const url = new URL(options.url);
  const isHttps = url.protocol === 'https:';
  const method = (options.method ?? 'GET').toUpperCase();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const mode: Summary['mode'] = options.rps !== undefined ? 'rate' : 'concurrency';
  const requestLimit = options.requests ?? Number.POSITIVE_INFINITY;
  const durationMs = Math.min(
    options.durationMs ?? (options.requests !== undefined ? MAX_DURATION_MS : DEFAULT_DURATION_MS),
    MAX_DURATION_MS,
  );
  const maxInflight = options.maxInflight ?? DEFAULT_MAX_INFLIGHT;
  const drainTimeoutMs = options.drainTimeoutMs ?? timeoutMs + 1000;
  const sockets = mode === 'rate' ? maxInflight : (options.concurrency as number);

  const agentOpts = {
    keepAlive: true,
    maxSockets: sockets,
    maxFreeSockets: sockets,
    scheduling: 'lifo' as const,
  };
  const agent = isHttps
    ? new https.Agent({ ...agentOpts, rejectUnauthorized: !options.insecure })
    : new http.Agent(agentOpts);
  const body = options.body !== undefined ? Buffer.from(options.body) : undefined;
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    headers['content-length'] = String(body.length);
  }
  const reqOpts: http.RequestOptions = {
    agent,
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port || (isHttps ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    method,
    headers,
  };
  const send = isHttps ? https.request : http.request;

  // --- counters ---
  const samples = new Samples(4096);
  const statusCodes: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const versions: Record<string, number> = {};
  const perVersion = new Map<string, VersionAcc>();
  let sent = 0;
  let completed = 0;
  let ok = 0;
  let failed = 0;
  let inflight = 0;
  let bytesReceived = 0;
  let bytesSent = 0;
  const schedule: ScheduleStats = {
    planned: 0,
    dropped: 0,
    late: 0,
    lateThresholdMs: LATE_THRESHOLD_MS,
    maxLagMs: 0,
  };

  const live = new Set<http.ClientRequest>();
  let idleWaiters: Array<() => void> = [];
  const notifyIdle = (): void => {
    if (inflight === 0) {
      const w = idleWaiters;
      idleWaiters = [];
      for (const f of w) f();
    }
  };

  const recordVersion = (version: string, status: number, isOk: boolean, latency: number): void => {
    increment(versions, version);
    let acc = perVersion.get(version);
    if (!acc) {
      acc = { count: 0, ok: 0, failed: 0, statusCodes: {}, samples: new Samples(256) };
      perVersion.set(version, acc);
    }
    acc.count++;
    if (isOk) acc.ok++;
    else acc.failed++;
    increment(acc.statusCodes, String(status));
    acc.samples.push(latency);
  };

  /** Send one request; resolves when it completed (response fully read, or error). */
  const fire = (): Promise<void> =>
    new Promise<void>((resolve) => {
      sent++;
      inflight++;
      let done = false;
      let timedOut = false;
      const t0 = nowNs();
      const sentAt = Date.now();
      const report = (r: Omit<RequestResult, 'sentAt' | 'endedAt'>): void => {
        if (!hooks.onResult) return;
        try {
          hooks.onResult({ sentAt, endedAt: Date.now(), ...r });
        } catch {
          // a broken result callback must not break the run
        }
      };
      const finish = (): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        live.delete(req);
        inflight--;
        completed++;
        notifyIdle();
        resolve();
      };
      const fail = (err: unknown): void => {
        if (done) return;
        const kind = timedOut ? 'timeout' : errorKind(err);
        increment(errors, kind);
        failed++;
        report({ status: 0, errorKind: kind });
        finish();
      };
      const req = send(reqOpts, (res) => {
        const status = res.statusCode ?? 0;
        const ct = String(res.headers['content-type'] ?? '');
        const wantBody = ct.includes('json');
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          bytesReceived += c.length;
          size += c.length;
          if (wantBody && size <= MAX_JSON_BODY) chunks.push(c);
        });
        res.on('end', () => {
          if (done) return;
          const latency = msSince(t0);
          samples.push(latency);
          increment(statusCodes, String(status));
          const isOk = status > 0 && status < 400;
          if (isOk) ok++;
          else failed++;
          let version: string | undefined;
          let bodyError: string | undefined;
          if (wantBody && size <= MAX_JSON_BODY && size > 0) {
            const text = Buffer.concat(chunks);
            version = versionOf(text);
            if (version !== undefined) recordVersion(version, status, isOk, latency);
            if (hooks.onResult && !isOk) bodyError = errorOf(text);
          }
          report({
            status,
            ...(version !== undefined ? { version } : {}),
            ...(bodyError ? { bodyError } : {}),
          });
          finish();
        });
        res.on('error', fail);
        res.on('aborted', () => fail(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
      });
      live.add(req);
      const timer = setTimeout(() => {
        timedOut = true;
        req.destroy(new RequestTimeoutError(`timeout after ${timeoutMs} ms`));
      }, timeoutMs);
      req.on('error', fail);
      req.on('close', () => {
        // Closed without 'end' or 'error' (should not happen, but never leave a request hanging).
        if (!done) setImmediate(() => fail(Object.assign(new Error('closed'), { code: 'ECONNRESET' })));
      });
      if (body) {
        bytesSent += body.length;
        req.end(body);
      } else req.end();
    });

  // --- progress ---
  const startNs = nowNs();
  const startedAt = new Date().toISOString();
  let progressTimer: NodeJS.Timeout | undefined;
  if (hooks.onProgress) {
    const every = hooks.progressIntervalMs ?? 1000;
    let lastCompleted = 0;
    let lastNs = startNs;
    progressTimer = setInterval(() => {
      const t = nowNs();
      const dt = Number(t - lastNs) / 1e9;
      const p: Progress = {
        elapsedSeconds: Math.round((Number(t - startNs) / 1e9) * 1000) / 1000,
        sent,
        completed,
        ok,
        errors: failed,
        inflight,
        currentRps: dt > 0 ? Math.round(((completed - lastCompleted) / dt) * 10) / 10 : 0,
        dropped: schedule.dropped,
      };
      lastCompleted = completed;
      lastNs = t;
      try {
        hooks.onProgress?.(p);
      } catch {
        // a broken progress callback must not break the run
      }
    }, every);
  }

  // --- stopping ---
  let stopped = false;
  let interrupted = false;
  let wake: (() => void) | undefined;
  const onAbort = (): void => {
    if (stopped) return;
    stopped = true;
    interrupted = true;
    wake?.();
  };
  if (hooks.signal?.aborted) onAbort();
  else hooks.signal?.addEventListener('abort', onAbort, { once: true });
  const interruptible = (ms: number): Promise<void> =>
    new Promise<void>((r) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        wake = undefined;
        r();
      }
      wake = done;
    });

  // --- load phase ---
  let sendPhaseMs: number;
  if (mode === 'rate') {
    const rps = options.rps as number;
    const intervalMs = 1000 / rps;
    // number of slots: those with i/rps < duration, capped by the request limit
    const slots = Math.min(requestLimit, Math.ceil((durationMs * rps) / 1000 - 1e-9));
    let next = 0; // index of the next slot
    while (!stopped && next < slots) {
      const elapsed = msSince(startNs);
      // all slots whose time has come
      const due = Math.min(slots, Math.floor(elapsed / intervalMs) + 1);
      while (next < due) {
        const lag = elapsed - next * intervalMs;
        schedule.planned++;
        next++;
        if (inflight >= maxInflight) {
          schedule.dropped++;
          continue;
        }
        if (lag > schedule.maxLagMs) schedule.maxLagMs = lag;
        if (lag > LATE_THRESHOLD_MS) schedule.late++;
        void fire();
      }
      if (next >= slots) break;
      const wait = next * intervalMs - msSince(startNs);
      await interruptible(Math.max(0, wait));
    }
    // The sending phase spans the slots that were due: it ends where slot `next` would start.
    // If the loop fell behind, the actual (longer) time counts, so a lagging sender shows as a
    // lower achieved rate.
    if (!stopped) await interruptible(next * intervalMs - msSince(startNs));
    sendPhaseMs = msSince(startNs);
    schedule.maxLagMs = Math.round(schedule.maxLagMs * 1000) / 1000;
  } else {
    const workers = options.concurrency as number;
    const deadline = durationMs;
    let claimed = 0;
    const worker = async (): Promise<void> => {
      while (!stopped && claimed < requestLimit && msSince(startNs) < deadline) {
        claimed++;
        await fire();
      }
    };
    const all = Promise.all(Array.from({ length: workers }, worker));
    // Wake on abort or deadline even when workers are stuck on slow requests; the workers'
    // last requests are then drained below. Closed loop: the duration is the wall time.
    await Promise.race([all, interruptible(deadline)]);
    wake?.();
    sendPhaseMs = -1;
  }
  stopped = true;
  hooks.signal?.removeEventListener('abort', onAbort);

  // --- drain ---
  if (inflight > 0) {
    const idle = new Promise<void>((r) => idleWaiters.push(r));
    await within(idle, drainTimeoutMs);
    if (inflight > 0) {
      for (const req of live) req.destroy(new DrainAbortError('aborted while draining'));
      await within(new Promise<void>((r) => idleWaiters.push(r)), 1000);
    }
  }
  if (progressTimer) clearInterval(progressTimer);
  agent.destroy();
  const wallMs = msSince(startNs);
  if (sendPhaseMs < 0) sendPhaseMs = wallMs;

  const durationSeconds = Math.max(sendPhaseMs, 1e-6) / 1000;
  const summary: Summary = {
    target: options.url,
    method,
    mode,
    requestedRps: mode === 'rate' ? (options.rps as number) : null,
    concurrency: mode === 'concurrency' ? (options.concurrency as number) : null,
    durationSeconds: round(durationSeconds, 4),
    wallSeconds: round(wallMs / 1000, 4),
    startedAt,
    total: completed,
    ok,
    failed,
    achievedRps: round(completed / durationSeconds, 2),
    latencyMs: latencyStats(samples),
    statusCodes: sortedCounts(statusCodes),
    errors: sortedCounts(errors),
    versions: sortedCounts(versions),
    bytesReceived,
    bytesSent,
    interrupted,
  };
  if (perVersion.size > 0) {
    const pv: Record<string, VersionStats> = {};
    for (const v of [...perVersion.keys()].sort()) {
      const a = perVersion.get(v) as VersionAcc;
      pv[v] = {
        count: a.count,
        ok: a.ok,
        failed: a.failed,
        statusCodes: sortedCounts(a.statusCodes),
        latencyMs: latencyStats(a.samples),
      };
    }
    summary.perVersion = pv;
  }
  if (mode === 'rate') summary.schedule = schedule;
  return summary;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** The string `version` field of a JSON object body, if any. */
/** The string `error` field of a JSON object body, if any. */
export function errorOf(body: Buffer | string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const e = (parsed as { error?: unknown }).error;
      if (typeof e === 'string') return e;
    }
  } catch {
    // not JSON after all
  }
  return undefined;
}

export function versionOf(body: Buffer | string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const v = (parsed as { version?: unknown }).version;
      if (typeof v === 'string') return v;
    }
  } catch {
    // not JSON after all
  }
  return undefined;
}
