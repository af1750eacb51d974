import type { AnalysisRun, KubeObject, Rollout } from './kube-types';
import { measurementText } from './measurement-value';
import { stepLabel } from './steps';

/** One line of a rollout's decision timeline. `key` makes recording idempotent (the same change is stored once). */
export interface TimelineEntry {
  key: string;
  at: string;
  namespace: string;
  rollout: string;
  kind: 'step' | 'weight' | 'phase' | 'analysis' | 'measurement' | 'event' | 'action';
  source: 'controller' | 'analysis' | 'kubernetes' | 'user';
  summary: string;
  details?: Record<string, unknown>;
}

const nsName = (o: KubeObject) => ({
  namespace: o.metadata?.namespace ?? '',
  rollout: o.metadata?.name ?? '',
});

/**
 * What changed between two versions of a Rollout, as timeline entries. Nothing is derived without a previous version
 * (an informer's initial list), so a restart of the dashboard does not record the current state again.
 */
export function rolloutChanges(prev: Rollout | undefined, next: Rollout, at: string): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const id = nsName(next);
  // Keys name the version of the Rollout the change was seen in, never the recorder's clock: two recorders (or a
  // standby replaying after a takeover) that watched the same versions write the same keys, so each change is stored
  // once. `at` only without a resourceVersion (objects that never came from an API server).
  const version = next.metadata?.resourceVersion ?? at;
  const hash = next.status?.currentPodHash ?? '';
  const base = `${id.namespace}/${id.rollout}/${hash}`;
  const steps = next.spec?.strategy?.canary?.steps ?? [];
  const stepOf = (r: Rollout | undefined) => r?.status?.currentStepIndex;
  const i = stepOf(next);
  if (i !== undefined && i !== stepOf(prev) && prev !== undefined) {
    const step = steps[i];
    const summary =
      i >= steps.length
        ? `all ${steps.length} steps done`
        : `step ${i + 1}/${steps.length} ${step ? stepLabel(step) : ''}`;
    out.push({
      key: `${base}/step/${i}/${version}`,
      at,
      ...id,
      kind: 'step',
      source: 'controller',
      summary: summary.trim(),
    });
  }
  const w = (r: Rollout | undefined) => r?.status?.canary?.weights?.canary?.weight;
  if (prev !== undefined && w(next) !== undefined && w(next) !== w(prev)) {
    out.push({
      key: `${base}/weight/${w(next)}/${version}`,
      at,
      ...id,
      kind: 'weight',
      source: 'controller',
      summary: `canary weight ${w(prev) ?? 0} % → ${w(next)} %`,
    });
  }
  const phase = (r: Rollout | undefined) => r?.status?.phase;
  if (prev !== undefined && phase(next) && phase(next) !== phase(prev)) {
    const msg = next.status?.message ? `: ${next.status.message}` : '';
    out.push({
      key: `${base}/phase/${phase(next)}/${version}`,
      at,
      ...id,
      kind: 'phase',
      source: 'controller',
      summary: `${phase(next)}${msg}`,
      details: { from: phase(prev) ?? null },
    });
  }
  return out;
}

/** New measurements and phase changes of an AnalysisRun owned by a rollout. */
export function analysisRunChanges(
  prev: AnalysisRun | undefined,
  next: AnalysisRun,
  at: string,
): TimelineEntry[] {
  const owner = next.metadata?.ownerReferences?.find((o) => o.kind === 'Rollout')?.name;
  if (!owner) return [];
  const id = { namespace: next.metadata?.namespace ?? '', rollout: owner };
  const run = next.metadata?.name ?? '';
  const out: TimelineEntry[] = [];
  const seen = new Set(
    (prev?.status?.metricResults ?? []).flatMap((m) =>
      (m.measurements ?? []).map((x) => `${m.name}/${x.startedAt}`),
    ),
  );
  for (const m of next.status?.metricResults ?? []) {
    for (const x of m.measurements ?? []) {
      if (!x.finishedAt || seen.has(`${m.name}/${x.startedAt}`)) continue;
      const value = x.value !== undefined ? measurementText(x.value) : null;
      out.push({
        key: `${id.namespace}/${run}/${m.name}/${x.startedAt}`,
        at: x.finishedAt,
        ...id,
        kind: 'measurement',
        source: 'analysis',
        summary: `${run} ${m.name}: ${x.phase ?? '?'}${value !== null ? ` (${value})` : ''}${x.message ? ` — ${x.message}` : ''}`,
        details: { run, metric: m.name, phase: x.phase, value },
      });
    }
  }
  const phase = next.status?.phase;
  if (phase && phase !== prev?.status?.phase && phase !== 'Pending') {
    out.push({
      key: `${id.namespace}/${run}/phase/${phase}`,
      at: analysisPhaseTime(next, phase) ?? at,
      ...id,
      kind: 'analysis',
      source: 'analysis',
      summary: `analysis ${run} ${phase}${next.status?.message ? `: ${next.status.message}` : ''}`,
    });
  }
  return out;
}

const COMPLETED_PHASES = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

/**
 * When the run entered `phase`, from the run itself (so a recorder that sees it late, e.g. after a restart, still
 * places it right): `completedAt` for a completed phase (else its newest finished measurement), `startedAt` for Running.
 */
function analysisPhaseTime(run: AnalysisRun, phase: string): string | undefined {
  if (!COMPLETED_PHASES.has(phase)) return phase === 'Running' ? run.status?.startedAt : undefined;
  if (run.status?.completedAt) return run.status.completedAt;
  const finished = (run.status?.metricResults ?? []).flatMap((m) =>
    (m.measurements ?? []).flatMap((x) => (x.finishedAt ? [x.finishedAt] : [])),
  );
  return finished.sort().at(-1);
}

interface KubeEvent extends KubeObject {
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
}

/** A Kubernetes Event about a Rollout (reason + message), keyed by uid and count so repeats are kept once each. */
export function eventEntry(obj: KubeObject): TimelineEntry | null {
  const ev = obj as KubeEvent;
  if (ev.involvedObject?.kind !== 'Rollout' || !ev.involvedObject.name) return null;
  const at = ev.lastTimestamp ?? ev.eventTime ?? ev.firstTimestamp ?? ev.metadata?.creationTimestamp;
  if (!at) return null;
  return {
    key: `event/${ev.metadata?.uid ?? ev.metadata?.name}/${ev.count ?? 1}`,
    at,
    namespace: ev.involvedObject.namespace ?? ev.metadata?.namespace ?? '',
    rollout: ev.involvedObject.name,
    kind: 'event',
    source: 'kubernetes',
    summary: `${ev.reason ?? 'Event'}: ${ev.message ?? ''}`.trim(),
    details: { type: ev.type ?? 'Normal', reason: ev.reason ?? null },
  };
}

/** What the timeline needs of a judge verdict (the SLO report of `/api/v1/judge`). */
export interface JudgedVerdict {
  namespace: string;
  rollout: string | null;
  verdict: 'promote' | 'pause' | 'rollback';
  explanation: string;
  canary: { podHash: string | null };
  window: { since: number };
  slos: Array<{ name: string; status: string }>;
}

/**
 * The judge's decisive answer as a timeline entry (PAUSE is not decisive and is not recorded). One entry per verdict
 * and canary attempt, however often the controller asks: the key holds the canary's hash and the attempt's start.
 */
export function verdictEntry(r: JudgedVerdict, at: string): TimelineEntry | null {
  if (!r.rollout || r.verdict === 'pause') return null;
  const failing = r.slos.filter((s) => s.status === 'fail').map((s) => s.name);
  return {
    key: `${r.namespace}/${r.rollout}/${r.canary.podHash ?? '-'}/verdict/${r.verdict}/${r.window.since}`,
    at,
    namespace: r.namespace,
    rollout: r.rollout,
    kind: 'analysis',
    source: 'analysis',
    summary: r.explanation,
    details: { verdict: r.verdict, failing },
  };
}
