import { Watch } from '@kubernetes/client-node';
import { expect } from '@playwright/test';
import { measurementText } from '../lib/rollout/measurement-value';
import { recordWeights } from '../scripts/canary/follow';
import {
  type CounterSamples,
  type Hold,
  holdsOf,
  served,
  type WeightObservation,
} from '../scripts/canary/holds';
import { Kube } from '../scripts/canary/kube';
import { type Lab, until } from './lab-fixture';

/**
 * What the lab end-to-end tests of the judge observe, independently of the judge: the VirtualService's weight from a
 * watch, the canary Service's request counters read straight from the lab gateway every second (not through
 * Prometheus, which is what the judge reads), the AnalysisRuns, and the judge's own report (GET …/slo) every 2 s.
 */
export const NS = 'demo';
export const ROLLOUT = 'webapp';
export const CANARY_SERVICE = 'webapp-canary';
export const VIRTUAL_SERVICE = 'webapp';

/** The judge's defaults for PROMOTE at a step (lib/slo/config.ts; the demo's template leaves them unset). */
export const MIN_STEP_SECONDS = 30;
export const MIN_CANARY_REQUESTS = 100;

/** What the judge said, as the dashboard's SLO panel reads it. */
export interface JudgeSample {
  at: number;
  verdict: string;
  weight: number | null;
  stepIndex: number | null;
  /** The attempt's step starts (unix seconds) the judge attributed its evidence to. */
  stepStarts: number[];
  canaryHash: string | null;
  metrics: string;
  /** Unix seconds: where the judge's evidence for this canary begins. */
  since: number;
  step: { start: number; seconds: number; requests: number } | null;
  dataIssues: string[];
  explanation: string;
}

interface SloAnswer {
  verdict: string;
  weight: number | null;
  stepIndex: number | null;
  attempt: { stepStarts: { start: number }[] } | null;
  canary: { podHash: string | null };
  metrics: string;
  window: { since: number };
  step: JudgeSample['step'];
  dataIssues: string[];
  explanation: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Labelled `istio_requests_total` lines of one destination Service (reporter="source") in Prometheus text. */
export function counterLines(text: string, service: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('istio_requests_total{')) continue;
    const close = line.lastIndexOf('}');
    const labels = line.slice('istio_requests_total{'.length, close);
    if (!labels.includes(`destination_service_name="${service}"`) || !labels.includes('reporter="source"'))
      continue;
    out.set(
      labels,
      Number(
        line
          .slice(close + 1)
          .trim()
          .split(' ')[0],
      ),
    );
  }
  return out;
}

export class CanaryEvidence {
  readonly weights: WeightObservation[] = [];
  readonly reports: JudgeSample[] = [];
  /** Every gateway scrape: per series of the canary Service, its samples (a restart shows as a drop). */
  private readonly series = new Map<string, { at: number; value: number }[]>();
  /** Raw sum over the canary's series at each scrape (a restart of the gateway's proxy makes it drop). */
  readonly rawTotals: { at: number; total: number }[] = [];
  /** When each AnalysisRun was first seen (its creation) and first seen decided, to the millisecond (a watch). */
  readonly runSeen = new Map<string, { added: number; decided?: number; value?: string }>();
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly recorder: { watching: () => boolean; stop: () => void };
  private stopRunWatch: (() => void) | null = null;

  constructor(
    private readonly lab: Lab,
    private readonly cookie: string,
  ) {
    if (!lab.gatewayUrl) throw new Error('the lab did not say where its gateway is');
    const kube = new Kube(lab.kubeconfig);
    this.recorder = recordWeights(kube, NS, VIRTUAL_SERVICE, CANARY_SERVICE, this.weights);
    void this.watchRuns(kube);
    this.loops.push(this.every(1000, () => this.scrape()));
    this.loops.push(this.every(2000, () => this.judge()));
  }

  /** AnalysisRuns as they are created and decided (arrival times of watch events: ms, unlike their timestamps). */
  private async watchRuns(kube: Kube): Promise<void> {
    if (this.stopped) return;
    const again = () => {
      this.stopRunWatch = null;
      if (!this.stopped) setTimeout(() => void this.watchRuns(kube), 500);
    };
    const ctl = await new Watch(kube.kc)
      .watch(
        `/apis/argoproj.io/v1alpha1/namespaces/${NS}/analysisruns`,
        {},
        (type, obj: RunObject) => {
          const name = obj.metadata.name;
          const seen = this.runSeen.get(name) ?? { added: Date.now() };
          if (type === 'ADDED' && !this.runSeen.has(name)) this.runSeen.set(name, seen);
          const stored = obj.status?.metricResults?.[0]?.measurements?.at(-1)?.value;
          const value = stored === undefined ? undefined : measurementText(stored);
          if (seen.decided === undefined && (value === 'promote' || value === 'rollback')) {
            seen.decided = Date.now();
            seen.value = value;
          }
        },
        again,
      )
      .catch(() => {
        again();
        return null;
      });
    if (ctl) this.stopRunWatch = () => ctl.abort();
    if (this.stopped) this.stopRunWatch?.();
  }

  /** Resolves once the watches are open and a scrape was made (so no weight change or run is missed from here on). */
  async ready(): Promise<void> {
    await until('the VirtualService watch', 15_000, async () =>
      this.recorder.watching() ? true : undefined,
    );
    await until('the AnalysisRun watch', 15_000, async () => (this.stopRunWatch ? true : undefined));
    await until('a gateway scrape', 15_000, async () => (this.rawTotals.length > 0 ? true : undefined));
  }

  private every(ms: number, fn: () => Promise<void>): Promise<void> {
    return (async () => {
      while (!this.stopped) {
        const t = Date.now();
        try {
          await fn();
        } catch {
          // the next round tries again (a restarting gateway, a busy control center)
        }
        await sleep(Math.max(0, ms - (Date.now() - t)));
      }
    })();
  }

  private async scrape(): Promise<void> {
    const sent = Date.now();
    const res = await fetch(`${this.lab.gatewayUrl}/stats/prometheus`, { signal: AbortSignal.timeout(3000) });
    const text = await res.text();
    const at = (sent + Date.now()) / 2;
    if (!res.ok) return;
    const lines = counterLines(text, CANARY_SERVICE);
    // No canary series at all after some were seen: the proxy is between pods; wait for a scrape that shows them.
    if (lines.size === 0 && this.series.size > 0) return;
    let total = 0;
    for (const [key, value] of lines) {
      total += value;
      const list = this.series.get(key) ?? [];
      list.push({ at, value });
      this.series.set(key, list);
    }
    // A series missing from this scrape (the proxy restarted and has not seen it again) restarts at 0.
    for (const [key, list] of this.series) if (!lines.has(key)) list.push({ at, value: 0 });
    this.rawTotals.push({ at, total });
  }

  private async judge(): Promise<void> {
    const res = await fetch(`${this.lab.url}/api/v1/rollouts/${NS}/${ROLLOUT}/slo`, {
      headers: { cookie: this.cookie },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return;
    const r = (await res.json()) as SloAnswer;
    this.reports.push({
      at: Date.now(),
      verdict: r.verdict,
      weight: r.weight,
      stepIndex: r.stepIndex,
      stepStarts: (r.attempt?.stepStarts ?? []).map((x) => x.start),
      canaryHash: r.canary.podHash,
      metrics: r.metrics,
      since: r.window.since,
      step: r.step ? { start: r.step.start, seconds: r.step.seconds, requests: r.step.requests } : null,
      dataIssues: r.dataIssues,
      explanation: r.explanation,
    });
  }

  canarySeries(): CounterSamples[] {
    return [...this.series.values()];
  }

  /** Canary requests served between two times (a sure lower bound from the 1 s gateway scrapes). */
  served(from: number, to: number): number {
    return served(this.canarySeries(), from, to, 'lower-bound');
  }

  /** The holds at each weight since `since` (ms), with lower-bound request counts. */
  holds(since: number): Hold[] {
    return holdsOf(
      this.weights.filter((w) => w.at >= since),
      { now: Date.now(), counters: this.canarySeries(), mode: 'lower-bound' },
    );
  }

  /** The highest canary weight seen since `since`. */
  maxWeight(since: number): number {
    return Math.max(0, ...this.weights.filter((w) => w.at >= since).map((w) => w.weight));
  }

  /** The newest raw canary total the gateway reported. */
  lastRawTotal(): number {
    return this.rawTotals.at(-1)?.total ?? 0;
  }

  /** Everything observed, for the test's output folder (what the judge said beside what the lab did). */
  snapshot(): object {
    return {
      weights: this.weights,
      runs: Object.fromEntries(this.runSeen),
      reports: this.reports,
      gatewayCanaryTotals: this.rawTotals,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.recorder.stop();
    this.stopRunWatch?.();
    await Promise.all(this.loops);
  }
}

interface RunObject {
  metadata: { name: string };
  status?: { phase?: string; metricResults?: { measurements?: { value?: string }[] }[] };
}

/** A step AnalysisRun of one hash+revision, with its decisive measurement. */
export interface StepRun {
  name: string;
  stepIndex: number;
  /** creationTimestamp (ms; 1 s resolution). */
  created: number;
  phase: string;
  /** The last measurement's value, decoded ("promote" / "rollback" / "pause"), and when it finished (ms). */
  value: string | null;
  finished: number | null;
}

export async function kubeJson<T>(lab: Lab, ...args: string[]): Promise<T> {
  return JSON.parse(await lab.kubectl(...args, '-o', 'json')) as T;
}

export interface RolloutJson {
  metadata: { generation?: number };
  spec: {
    template: { spec: { containers: { image: string }[] } };
    strategy: { canary: { steps: Record<string, unknown>[] } };
  };
  status?: {
    phase?: string;
    stableRS?: string;
    currentPodHash?: string;
    abort?: boolean;
    message?: string;
    observedGeneration?: string | number;
  };
}

export const rollout = (lab: Lab) => kubeJson<RolloutJson>(lab, 'get', 'rollout', ROLLOUT, '-n', NS);

/** The revision of the ReplicaSet of a pod-template hash, and its name. */
export async function replicaSetOf(lab: Lab, hash: string): Promise<{ name: string; revision: string }> {
  const list = await kubeJson<{
    items: { metadata: { name: string; annotations?: Record<string, string> } }[];
  }>(lab, 'get', 'rs', '-n', NS, '-l', `rollouts-pod-template-hash=${hash}`);
  const rs = list.items[0];
  if (!rs) throw new Error(`no ReplicaSet for hash ${hash}`);
  return {
    name: rs.metadata.name,
    revision: rs.metadata.annotations?.['rollout.argoproj.io/revision'] ?? '',
  };
}

/** The step AnalysisRuns of one hash at one revision, oldest first. */
export async function stepRuns(lab: Lab, hash: string, revision: string): Promise<StepRun[]> {
  const list = await kubeJson<{
    items: {
      metadata: {
        name: string;
        creationTimestamp: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      };
      status?: {
        phase?: string;
        metricResults?: { measurements?: { value?: string; finishedAt?: string }[] }[];
      };
    }[];
  }>(lab, 'get', 'analysisruns', '-n', NS, '-l', `rollouts-pod-template-hash=${hash},rollout-type=Step`);
  return list.items
    .filter((r) => r.metadata.annotations?.['rollout.argoproj.io/revision'] === revision)
    .map((r) => {
      const last = r.status?.metricResults?.[0]?.measurements?.at(-1);
      return {
        name: r.metadata.name,
        stepIndex: Number(r.metadata.labels?.['step-index']),
        created: Date.parse(r.metadata.creationTimestamp),
        phase: r.status?.phase ?? '',
        value: last?.value !== undefined ? measurementText(last.value) : null,
        finished: last?.finishedAt ? Date.parse(last.finishedAt) : null,
      };
    })
    .sort((a, b) => a.created - b.created || a.stepIndex - b.stepIndex);
}

/** Argo's current setWeight at a step index: the last setWeight at or before it. */
export function weightAt(steps: readonly Record<string, unknown>[], index: number): number {
  for (let i = Math.min(index, steps.length - 1); i >= 0; i--) {
    const w = steps[i]?.setWeight;
    if (typeof w === 'number') return w;
  }
  return 0;
}

/** A control center action as the operator (session cookie and the CSRF header). */
export async function action(lab: Lab, cookie: string, name: string, body: object = {}): Promise<Response> {
  return fetch(`${lab.url}/api/v1/rollouts/${NS}/${ROLLOUT}/${name}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'x-requested-with': 'control-center' },
    body: JSON.stringify(body),
  });
}

export async function setFaults(lab: Lab, faults: Record<string, { errorRate: number }>): Promise<void> {
  await lab.kubectl(
    'patch',
    'configmap',
    'webapp-faults',
    '-n',
    NS,
    '--type',
    'merge',
    '-p',
    JSON.stringify({ data: { 'faults.json': JSON.stringify(faults) } }),
  );
}

/** Load from the control center's Load panel route: a loadgen Job in the lab, open loop at `rps`. */
export async function startLoad(lab: Lab, cookie: string, rps: number, seconds: number): Promise<void> {
  await stopLoad(lab, cookie);
  const res = await action(lab, cookie, 'load', { rps, durationSeconds: seconds });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
}

export async function stopLoad(lab: Lab, cookie: string): Promise<void> {
  const res = await action(lab, cookie, 'load', { stop: true });
  expect([200, 201, 202, 204, 404, 409], await res.clone().text()).toContain(res.status);
  await until('no load Job running', 30_000, async () => {
    const jobs = await kubeJson<{ items: { status?: { active?: number } }[] }>(
      lab,
      'get',
      'jobs',
      '-n',
      NS,
      '-l',
      'app.kubernetes.io/managed-by=control-center',
    ).catch(() => ({ items: [] }));
    return jobs.items.every((j) => !j.status?.active) ? true : undefined;
  });
}

const imageOf = (ro: RolloutJson) => ro.spec.template.spec.containers[0]?.image;
const settled = (ro: RolloutJson) =>
  ro.status?.phase === 'Healthy' &&
  !!ro.status.stableRS &&
  ro.status.stableRS === ro.status.currentPodHash &&
  String(ro.status.observedGeneration ?? '') === String(ro.metadata.generation ?? '');

/**
 * This test's starting state, whatever the tests before left: no load, no faults, `image` stable and Healthy. A
 * different image is launched and promoted in full (no analysis: it is set-up, not the story).
 */
export async function settle(lab: Lab, cookie: string, image: string): Promise<void> {
  await stopLoad(lab, cookie);
  await setFaults(lab, {});
  const ro = await rollout(lab);
  if (imageOf(ro) !== image) {
    const res = await action(lab, cookie, 'launch', { image });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  }
  await until(`${image} launched`, 30_000, async () => {
    const now = await rollout(lab);
    return imageOf(now) === image &&
      String(now.status?.observedGeneration ?? '') === String(now.metadata.generation ?? '')
      ? true
      : undefined;
  });
  if (!settled(await rollout(lab))) {
    const res = await action(lab, cookie, 'promote-full');
    expect([200, 201, 202, 409], await res.clone().text()).toContain(res.status);
  }
  await until(`${image} stable and Healthy`, 120_000, async () =>
    settled(await rollout(lab)) ? true : undefined,
  );
}

/** Restarts the ingress gateway as on a real cluster: a new pod template, so its proxy and counters start again. */
export async function restartGateway(lab: Lab): Promise<void> {
  await lab.kubectl('rollout', 'restart', 'deployment/istio-ingressgateway', '-n', 'istio-system');
}

/** One line per hold for the test's output. */
export function holdText(h: Hold): string {
  return `${h.weight} %: ${h.seconds.toFixed(1)} s, ≥ ${h.requests ?? '?'} canary requests, ${h.end}`;
}
