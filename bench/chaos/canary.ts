/**
 * One full canary under load with one fault: 50 rps through the lab's gateway (every request kept with its time),
 * the canary launched through the control center, an audited action every few seconds (the acknowledged writes),
 * the rollout followed until it is decided, and the scenario's fault injected once the first analysis runs.
 */
import { until } from '../../e2e/lab-fixture';
import { type RequestResult, runLoad } from '../../loadgen/src/index';
import { type RolloutState, stateOf } from '../../scripts/canary/follow';
import type { Obj } from '../../scripts/canary/kube';
import type { ApiFaultProxy } from './api-fault-proxy';
import type { AuditRow, Decision, SentAction, Window } from './classify';
import type { FullDisk } from './disk-full';
import { apiLogin, type ControlCenter, type Lab, log } from './stack';

export const TARGET_HOST = 'webapp.local';
const CSRF = { 'x-requested-with': 'control-center' };

/** What a scenario's fault did, in epoch ms. */
export interface Injected {
  start: number;
  end: number;
  /** Spans in which the fault itself breaks traffic through the gateway (the node or the gateway gone). */
  trafficWindows: Window[];
  note: string;
}

export interface Ctx {
  lab: Lab;
  cc: ControlCenter;
  proxy: ApiFaultProxy;
  disk: FullDisk | null;
  /** The first HTTP response (any status) through the gateway that completed after `t` (polls the kept results). */
  firstResponseAfter: (t: number, timeoutMs: number) => Promise<number>;
}

export type CanaryKind = 'good' | 'bad' | 'crash-loop';

/**
 * When the fault starts: `launch` once the controller works on the new template (so the fault covers the first
 * analysis from its start: a bad canary is often judged within seconds), `analysis` once the first analysis runs.
 */
export interface Trigger {
  at: 'launch' | 'analysis';
  afterMs: number;
}

export interface CanaryRun {
  decision: Decision;
  decidedAt: number | null;
  finalState: RolloutState | null;
  results: RequestResult[];
  sent: SentAction[];
  audit: AuditRow[];
  rolloutChanges: number[];
  injected: Injected | null;
  /** Why the scenario's fault could not be injected (its inject threw), or null. */
  injectError: string | null;
  /** AnalysisRun measurements (taken, finished) that the control center's stored timeline lacks: history lost. */
  missingFromTimeline: string[];
  /** The judge's decisive verdicts as the timeline stored them (promote / rollback with the judge's explanation). */
  verdicts: string[];
  startedAt: number;
  endedAt: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fault injection under way: `done` never rejects; a throw is kept in `error` (the row fails with it). */
export interface Injection {
  done: Promise<void>;
  injected: Injected | null;
  error: string | null;
}

export function startInjection(inject: (ctx: Ctx) => Promise<Injected>, ctx: Ctx): Injection {
  const state: Injection = { done: Promise.resolve(), injected: null, error: null };
  state.done = (async () => {
    try {
      const i = await inject(ctx);
      state.injected = i;
      log(`fault over: ${i.note}`);
    } catch (err) {
      state.error = err instanceof Error ? err.message : String(err);
      log(`fault injection failed: ${state.error}`);
    }
  })();
  return state;
}

interface Observed {
  state: RolloutState;
  /** Measurements taken by every AnalysisRun of the namespace (a new one = the analysis progressed). */
  measurements: number;
}

async function rollout(lab: Lab): Promise<RolloutState | null> {
  return (await observe(lab))?.state ?? null;
}

async function observe(lab: Lab): Promise<Observed | null> {
  try {
    const list = JSON.parse(
      await lab.kubectl('-n', 'demo', 'get', 'rollouts.argoproj.io,analysisruns.argoproj.io', '-o', 'json'),
    ) as { items: Array<Obj & { kind?: string }> };
    const ro = list.items.find((i) => i.kind === 'Rollout' && i.metadata?.name === 'webapp');
    if (!ro) return null;
    let measurements = 0;
    for (const i of list.items) {
      if (i.kind !== 'AnalysisRun') continue;
      const runs = (i.status as { metricResults?: Array<{ measurements?: unknown[] }> } | undefined)
        ?.metricResults;
      for (const m of runs ?? []) measurements += m.measurements?.length ?? 0;
    }
    return { state: stateOf(ro), measurements };
  } catch {
    return null; // the lab is down (a scenario killed it): keep polling
  }
}

const tagOf = (image: string) => image.slice(image.lastIndexOf(':') + 1);
const otherImage = (image: string) =>
  `${image.slice(0, image.lastIndexOf(':'))}:${tagOf(image) === 'v1.1' ? 'v1.0' : 'v1.1'}`;

/** The decision a rollout state shows for `target`, or null while it is still undecided. */
export function decisionOf(s: RolloutState, target: string): Decision | null {
  if (s.image !== target || !s.observed) return null;
  if (s.phase === 'Healthy' && s.currentHash !== null && s.currentHash === s.stableHash) return 'promote';
  if (s.phase === 'Degraded' || s.abort) return 'rollback';
  if (s.phase === 'Paused') return 'paused';
  return null;
}

export async function runCanary(opts: {
  ctx: Ctx;
  kind: CanaryKind;
  timeoutMs: number;
  rps: number;
  inject?: (ctx: Ctx) => Promise<Injected>;
  trigger?: Trigger;
}): Promise<CanaryRun> {
  const { ctx, kind } = opts;
  const { lab } = ctx;
  const startedAt = Date.now();
  const before = await until('demo/webapp Healthy before the canary', 180_000, async () => {
    const s = await rollout(lab);
    return s && s.phase === 'Healthy' && s.observed && s.currentHash === s.stableHash ? s : undefined;
  });
  const target = otherImage(before.image);
  const faults = kind === 'bad' ? { [tagOf(target)]: { errorRate: 0.1 } } : {};
  await lab.kubectl(
    '-n',
    'demo',
    'patch',
    'configmap',
    'webapp-faults',
    '--type=merge',
    '-p',
    JSON.stringify({ data: { 'faults.json': JSON.stringify(faults) } }),
  );

  const results: RequestResult[] = [];
  const load = new AbortController();
  let writing = true;
  let writer: Promise<void> = Promise.resolve();
  let cookie = '';
  const sent: SentAction[] = [];
  const rolloutChanges: number[] = [];
  let decision: Decision | null = null;
  let decidedAt: number | null = null;
  let finalState: RolloutState | null = null;
  let injection: Injection | null = null;
  const gateway = lab.ready?.gatewayUrl ?? '';
  const loadDone = runLoad(
    {
      url: `${gateway}/api/work`,
      rps: opts.rps,
      durationMs: opts.timeoutMs + 600_000,
      headers: { host: TARGET_HOST },
      timeoutMs: 5000,
    },
    { signal: load.signal, onResult: (r) => results.push(r) },
  );
  ctx.firstResponseAfter = (t, timeoutMs) =>
    until('a response through the gateway', timeoutMs, async () => {
      const hit = results.find((r) => r.status > 0 && r.sentAt >= t);
      return hit ? hit.endedAt : undefined;
    });

  // From here on the load runs: whatever throws, the writer and the load are stopped before this returns.
  try {
    cookie = await apiLogin(ctx.cc.url, 'operator');
    const act = async (action: string, body: unknown): Promise<number> => {
      const sentAt = Date.now();
      let status = 0;
      try {
        const res = await fetch(`${ctx.cc.url}/api/v1/rollouts/demo/webapp/${action}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, ...CSRF },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        status = 0;
      }
      sent.push({ action, sentAt, answeredAt: Date.now(), status });
      return status;
    };

    // Launch through the control center (crash-loop: a template the demo app refuses to start with, via kubectl).
    if (kind === 'crash-loop') {
      await lab.kubectl(
        '-n',
        'demo',
        'patch',
        'rollout',
        'webapp',
        '--type=json',
        '-p',
        JSON.stringify([
          { op: 'replace', path: '/spec/template/spec/containers/0/image', value: target },
          {
            op: 'add',
            path: '/spec/template/spec/containers/0/env/-',
            value: { name: 'WARMUP_MS', value: '-1' },
          },
        ]),
      );
    } else {
      const status = await act('launch', { image: target });
      if (status !== 200) {
        throw new Error(`launch ${target} through the control center answered ${status}`);
      }
    }
    log(`canary ${kind}: ${before.image} -> ${target}`);

    // The audited writes: every 5 s restate the canary's fault (bad) or clear it (good), as an operator would.
    writer = (async () => {
      while (writing) {
        const status = await act(
          'faults',
          kind === 'bad' ? { scope: 'canary', errorRate: 0.1 } : { scope: 'canary', clear: true },
        );
        if (status === 401) cookie = await apiLogin(ctx.cc.url, 'operator').catch(() => cookie);
        await sleep(5000);
      }
    })();

    let lastSig = '';
    let lastMeasurements = -1;
    let triggeredAt: number | null = null;
    const deadline = startedAt + opts.timeoutMs;
    let pausedSince: number | null = null;
    while (Date.now() < deadline) {
      const o = await observe(lab);
      const now = Date.now();
      if (o) {
        const s = o.state;
        finalState = s;
        const sig = JSON.stringify([
          s.phase,
          s.step,
          s.abort,
          s.analysis,
          s.currentHash,
          s.stableHash,
          s.message,
        ]);
        if (sig !== lastSig) {
          rolloutChanges.push(now);
          lastSig = sig;
          log(`rollout: ${s.phase} step ${s.step}/${s.steps} analysis ${s.analysis ?? '-'} ${s.message}`);
        } else if (o.measurements !== lastMeasurements) rolloutChanges.push(now);
        lastMeasurements = o.measurements;
        const due =
          opts.trigger?.at === 'launch'
            ? s.image === target && s.observed && s.currentHash !== s.stableHash
            : s.image === target && s.observed && s.analysis === 'Running';
        if (opts.inject && !injection && due) {
          triggeredAt ??= now;
          if (now - triggeredAt >= (opts.trigger?.afterMs ?? 0)) {
            log('injecting the fault');
            injection = startInjection(opts.inject, ctx);
          }
        }
        const d = decisionOf(s, target);
        if (d === 'paused') pausedSince ??= now;
        else pausedSince = null;
        const settled = d !== null && (d !== 'paused' || now - (pausedSince ?? now) >= 15_000);
        if (settled && decision === null) {
          decision = d;
          decidedAt = now;
          log(`decided: ${d}`);
        }
        if (decision !== null && (!injection || injection.injected || injection.error)) break;
      }
      await sleep(1000);
    }
    await injection?.done;
    // Keep the load a few seconds past the end, so a recovery after a late fault has responses to show.
    await sleep(3000);
  } finally {
    writing = false;
    await writer;
    load.abort();
    await loadDone;
  }

  const admin = await apiLogin(ctx.cc.url, 'admin');
  const since = new Date(startedAt - 1000).toISOString();
  const audit = await until('the audit log', 60_000, async () => {
    const res = await fetch(`${ctx.cc.url}/api/v1/audit?since=${since}&limit=10000`, {
      headers: { cookie: admin },
    });
    return res.ok ? ((await res.json()) as { items: AuditRow[] }).items : undefined;
  });
  const { missing: missingFromTimeline, verdicts } = await timelineGaps(lab, ctx.cc.url, admin);
  return {
    missingFromTimeline,
    verdicts,
    decision: decision ?? 'stuck',
    decidedAt,
    finalState,
    results,
    sent,
    audit,
    rolloutChanges,
    injected: injection?.injected ?? null,
    injectError: injection?.error ?? null,
    startedAt,
    endedAt: Date.now(),
  };
}

/**
 * Keys (`ns/run/metric/startedAt`, as lib/rollout/timeline.ts makes them) of measurements not in the timeline, and the
 * judge's verdicts the timeline holds (oldest first), which say why a canary was promoted or rolled back.
 */
async function timelineGaps(
  lab: Lab,
  ccUrl: string,
  cookie: string,
): Promise<{ missing: string[]; verdicts: string[] }> {
  const runs = JSON.parse(
    await lab.kubectl('-n', 'demo', 'get', 'analysisruns.argoproj.io', '-o', 'json'),
  ) as {
    items: Array<{
      metadata: { name: string };
      status?: {
        metricResults?: Array<{
          name: string;
          measurements?: Array<{ startedAt?: string; finishedAt?: string }>;
        }>;
      };
    }>;
  };
  const taken = runs.items.flatMap((r) =>
    (r.status?.metricResults ?? []).flatMap((m) =>
      (m.measurements ?? [])
        .filter((x) => x.finishedAt)
        .map((x) => `demo/${r.metadata.name}/${m.name}/${x.startedAt}`),
    ),
  );
  const stored = await until('the timeline', 60_000, async () => {
    const res = await fetch(`${ccUrl}/api/v1/rollouts/demo/webapp/timeline?limit=1000`, {
      headers: { cookie },
    });
    return res.ok
      ? ((await res.json()) as { items: Array<{ key: string; at: string; summary: string }> }).items
      : undefined;
  });
  const keys = new Set(stored.map((e) => e.key));
  const verdicts = stored
    .filter((e) => e.key.includes('/verdict/'))
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((e) => `${e.at} ${e.summary}`);
  return { missing: taken.filter((k) => !keys.has(k)), verdicts };
}
