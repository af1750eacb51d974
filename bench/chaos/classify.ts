/**
 * Pure accounting of one chaos run: which failed requests are the injected fault's and which are the mechanics'
 * (the release machinery losing requests), which acknowledged actions lost their audit row, and how long recovery took.
 */
import type { RequestResult } from '../../loadgen/src/index';

/** The demo app's answer for an injected canary fault (webapp/src/request-handler.ts). */
export const INJECTED_FAULT_BODY = 'injected fault';

/** A time span (epoch ms) in which the injected fault itself breaks traffic (the gateway or the node gone). */
export interface Window {
  from: number;
  to: number;
}

export type FailureCause = 'ok' | 'canary-fault' | 'traffic-fault' | 'mechanics';

export function causeOf(r: RequestResult, trafficWindows: readonly Window[]): FailureCause {
  if (r.status >= 200 && r.status < 300) return 'ok';
  if (r.status === 500 && r.bodyError === INJECTED_FAULT_BODY) return 'canary-fault';
  // A request counts as the fault's when it was on the wire at any moment of the window.
  if (trafficWindows.some((w) => r.sentAt <= w.to && r.endedAt >= w.from)) return 'traffic-fault';
  return 'mechanics';
}

export interface RequestTally {
  total: number;
  ok: number;
  canaryFault: number;
  trafficFault: number;
  mechanics: number;
  /** Mechanics failures by status (`503`) or transport error kind (`ECONNREFUSED`). */
  mechanicsBy: Record<string, number>;
  /** When the first and the last mechanics failure was sent (epoch ms), null without any. */
  mechanicsSpan: { first: number; last: number } | null;
}

export function tallyRequests(
  results: readonly RequestResult[],
  trafficWindows: readonly Window[],
): RequestTally {
  const t: RequestTally = {
    total: 0,
    ok: 0,
    canaryFault: 0,
    trafficFault: 0,
    mechanics: 0,
    mechanicsBy: {},
    mechanicsSpan: null,
  };
  for (const r of results) {
    t.total++;
    const cause = causeOf(r, trafficWindows);
    if (cause === 'ok') t.ok++;
    else if (cause === 'canary-fault') t.canaryFault++;
    else if (cause === 'traffic-fault') t.trafficFault++;
    else {
      t.mechanics++;
      const key = r.status === 0 ? (r.errorKind ?? 'error') : String(r.status);
      t.mechanicsBy[key] = (t.mechanicsBy[key] ?? 0) + 1;
      t.mechanicsSpan = {
        first: Math.min(t.mechanicsSpan?.first ?? r.sentAt, r.sentAt),
        last: Math.max(t.mechanicsSpan?.last ?? r.sentAt, r.sentAt),
      };
    }
  }
  return t;
}

/** An action the harness sent to the control center, with its answer. */
export interface SentAction {
  action: string;
  sentAt: number;
  answeredAt: number;
  /** HTTP status; 0 when no answer came (connection refused, timeout). */
  status: number;
}

/** An audit row as GET /api/v1/audit returns it (the fields used here). */
export interface AuditRow {
  id: number;
  at: string;
  action: string;
  /** 0 while the action runs (its outcome never written). */
  status: number;
}

export interface WriteTally {
  /** Actions answered 2xx. */
  acknowledged: number;
  /** Acknowledged actions with no audit row at all. */
  lost: number;
  /** Acknowledged actions whose row never got its outcome (status 0): outcome unknown in the log. */
  outcomeUnknown: number;
}

/** Slack for the clocks of the harness and the control center (same machine) and the row's `at` rounding. */
const SLACK_MS = 1000;

/**
 * Matches each acknowledged action to one audit row of the same action written between its send and its answer
 * (the row's `at` is taken when the control center records the intent). Earliest rows are matched first.
 */
export function tallyWrites(sent: readonly SentAction[], rows: readonly AuditRow[]): WriteTally {
  const free = [...rows]
    .map((r) => ({ ...r, t: Date.parse(r.at) }))
    .filter((r) => Number.isFinite(r.t))
    .sort((a, b) => a.t - b.t || a.id - b.id);
  const used = new Set<number>();
  const acked = sent.filter((s) => s.status >= 200 && s.status < 300).sort((a, b) => a.sentAt - b.sentAt);
  let lost = 0;
  let outcomeUnknown = 0;
  for (const s of acked) {
    const row = free.find(
      (r) =>
        !used.has(r.id) &&
        r.action === s.action &&
        r.t >= s.sentAt - SLACK_MS &&
        r.t <= s.answeredAt + SLACK_MS,
    );
    if (!row) {
      lost++;
      continue;
    }
    used.add(row.id);
    if (row.status === 0) outcomeUnknown++;
  }
  return { acknowledged: acked.length, lost, outcomeUnknown };
}

/**
 * Seconds from the fault's end until both the rollout progressed again (a status change after the fault, or none
 * needed: it was decided before the fault ended) and a request through the gateway answered 2xx; null when either
 * never happened (or there was no fault end).
 */
export function recoverySeconds(
  faultEnd: number | null,
  rolloutChanges: readonly number[],
  results: readonly RequestResult[],
  decidedAt: number | null = null,
): number | null {
  if (faultEnd === null) return null;
  const progressed =
    decidedAt !== null && decidedAt <= faultEnd
      ? faultEnd
      : rolloutChanges.filter((t) => t >= faultEnd).sort((a, b) => a - b)[0];
  let first2xx: number | undefined;
  for (const r of results)
    if (
      r.status >= 200 &&
      r.status < 300 &&
      r.endedAt >= faultEnd &&
      (first2xx === undefined || r.endedAt < first2xx)
    )
      first2xx = r.endedAt;
  if (progressed === undefined || first2xx === undefined) return null;
  return Math.round((Math.max(progressed, first2xx) - faultEnd) / 100) / 10;
}

export type Decision = 'promote' | 'rollback' | 'paused' | 'stuck' | 'not-run';
/** What a scenario expects: a decision, or only that the canary must not be promoted. */
export type Expected = 'promote' | 'rollback' | 'no-promote';

export function decisionMatches(decision: Decision, expected: Expected): boolean {
  if (expected === 'no-promote') return decision !== 'promote' && decision !== 'not-run';
  return decision === expected;
}

/** A promote the scenario did not want: the bad canary (or a broken one) reached 100 %. */
export function wrongPromotes(decision: Decision, expected: Expected): number {
  return decision === 'promote' && expected !== 'promote' ? 1 : 0;
}

/** The parts of ReplicaSets and Pods (as the API lists them) that say whether a Rollout's pods serve again. */
interface Owned {
  metadata?: { name?: string; ownerReferences?: Array<{ kind?: string; name?: string }> };
}
export interface ReplicaSetItem extends Owned {
  spec?: { replicas?: number };
}
export interface PodItem extends Owned {
  metadata?: Owned['metadata'] & { deletionTimestamp?: string };
  status?: { conditions?: Array<{ type?: string; status?: string }> };
}

/**
 * True when every ReplicaSet of the Rollout `rollout` has as many Ready Pods as it wants (a node crash ends for
 * traffic when the pods behind the Services are Ready again, as the API reports them), false while any is short.
 */
export function rolloutPodsReady(rollout: string, replicaSets: ReplicaSetItem[], pods: PodItem[]): boolean {
  const owns = (o: Owned, kind: string, name: string) =>
    (o.metadata?.ownerReferences ?? []).some((r) => r.kind === kind && r.name === name);
  const sets = replicaSets.filter((rs) => owns(rs, 'Rollout', rollout));
  if (sets.length === 0) return false;
  return sets.every((rs) => {
    const want = rs.spec?.replicas ?? 0;
    const ready = pods.filter(
      (p) =>
        !p.metadata?.deletionTimestamp &&
        owns(p, 'ReplicaSet', rs.metadata?.name ?? '') &&
        (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    ).length;
    return ready >= want;
  });
}
