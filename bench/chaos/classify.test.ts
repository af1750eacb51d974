import { describe, expect, it } from 'vitest';
import type { RequestResult } from '../../loadgen/src/index';
import {
  causeOf,
  decisionMatches,
  recoverySeconds,
  rolloutPodsReady,
  tallyRequests,
  tallyWrites,
  wrongPromotes,
} from './classify';

const req = (sentAt: number, status: number, extra: Partial<RequestResult> = {}): RequestResult => ({
  sentAt,
  endedAt: sentAt + 10,
  status,
  ...extra,
});

describe('causeOf / tallyRequests', () => {
  const outage = [{ from: 1000, to: 2000 }];

  it('counts 2xx as ok and the canary’s injected 500 as the fault’s, anywhere', () => {
    expect(causeOf(req(0, 200), outage)).toBe('ok');
    expect(causeOf(req(5000, 500, { bodyError: 'injected fault' }), outage)).toBe('canary-fault');
  });

  it('gives failures on the wire during an outage window to the fault, others to the mechanics', () => {
    expect(causeOf(req(1500, 0, { errorKind: 'ECONNREFUSED' }), outage)).toBe('traffic-fault');
    // sent before the window, still waiting when it began
    expect(causeOf({ sentAt: 900, endedAt: 1100, status: 503 }, outage)).toBe('traffic-fault');
    expect(causeOf(req(2500, 503), outage)).toBe('mechanics');
    // a 500 that is not the demo app's injected fault is not excused by the canary fault
    expect(causeOf(req(5000, 500, { bodyError: 'boom' }), [])).toBe('mechanics');
    expect(causeOf(req(5000, 404), [])).toBe('mechanics');
  });

  it('tallies by cause, mechanics by status or error kind', () => {
    const t = tallyRequests(
      [
        req(0, 200),
        req(10, 200),
        req(20, 500, { bodyError: 'injected fault' }),
        req(1200, 0, { errorKind: 'ECONNREFUSED' }),
        req(3000, 503),
        req(3100, 0, { errorKind: 'timeout' }),
        req(3200, 503),
      ],
      outage,
    );
    expect(t).toEqual({
      total: 7,
      ok: 2,
      canaryFault: 1,
      trafficFault: 1,
      mechanics: 3,
      mechanicsBy: { '503': 2, timeout: 1 },
      mechanicsSpan: { first: 3000, last: 3200 },
    });
  });
});

describe('tallyWrites', () => {
  const iso = (t: number) => new Date(t).toISOString();
  const t0 = Date.parse('2026-01-01T00:00:00Z');

  it('matches each acknowledged action to one row written between its send and its answer', () => {
    const w = tallyWrites(
      [
        { action: 'faults', sentAt: t0, answeredAt: t0 + 200, status: 200 },
        { action: 'faults', sentAt: t0 + 5000, answeredAt: t0 + 5200, status: 200 },
        { action: 'faults', sentAt: t0 + 10_000, answeredAt: t0 + 10_100, status: 503 },
      ],
      [
        { id: 1, at: iso(t0 + 50), action: 'faults', status: 200 },
        { id: 2, at: iso(t0 + 5100), action: 'faults', status: 200 },
      ],
    );
    expect(w).toEqual({ acknowledged: 2, lost: 0, outcomeUnknown: 0 });
  });

  it('counts an acknowledged action without a row as lost, and one whose row has no outcome apart', () => {
    const w = tallyWrites(
      [
        { action: 'faults', sentAt: t0, answeredAt: t0 + 200, status: 200 },
        { action: 'faults', sentAt: t0 + 5000, answeredAt: t0 + 5200, status: 200 },
        { action: 'launch', sentAt: t0 + 9000, answeredAt: t0 + 9100, status: 200 },
      ],
      [
        // one row cannot stand for two actions, a row of another action does not count, nor one far away in time
        { id: 1, at: iso(t0 + 100), action: 'faults', status: 0 },
        { id: 2, at: iso(t0 + 9050), action: 'faults', status: 200 },
        { id: 3, at: iso(t0 + 60_000), action: 'launch', status: 200 },
      ],
    );
    expect(w).toEqual({ acknowledged: 3, lost: 2, outcomeUnknown: 1 });
  });
});

describe('recoverySeconds', () => {
  it('is the later of the rollout progressing and the first 2xx after the fault ended', () => {
    const results = [req(9000, 200), req(10_500, 503), req(12_000, 200)];
    expect(recoverySeconds(10_000, [5000, 11_000], results)).toBe(2);
    expect(recoverySeconds(10_000, [5000, 15_000], results)).toBe(5);
  });

  it('is null without a fault end, a 2xx or any progress after it', () => {
    expect(recoverySeconds(null, [1], [req(1, 200)])).toBeNull();
    expect(recoverySeconds(10_000, [11_000], [req(10_500, 503)])).toBeNull();
    expect(recoverySeconds(10_000, [5000], [req(12_000, 200)])).toBeNull();
  });

  it('needs no progress when the rollout was decided before the fault ended', () => {
    expect(recoverySeconds(10_000, [5000], [req(12_000, 200)], 8000)).toBe(2);
  });
});

describe('decisions', () => {
  it('a no-promote scenario accepts rollback, pause or stuck, never promote or not-run', () => {
    expect(decisionMatches('rollback', 'no-promote')).toBe(true);
    expect(decisionMatches('stuck', 'no-promote')).toBe(true);
    expect(decisionMatches('promote', 'no-promote')).toBe(false);
    expect(decisionMatches('not-run', 'no-promote')).toBe(false);
    expect(decisionMatches('paused', 'rollback')).toBe(false);
    expect(decisionMatches('promote', 'promote')).toBe(true);
  });

  it('a promote is wrong only when the scenario did not expect one', () => {
    expect(wrongPromotes('promote', 'rollback')).toBe(1);
    expect(wrongPromotes('promote', 'no-promote')).toBe(1);
    expect(wrongPromotes('promote', 'promote')).toBe(0);
    expect(wrongPromotes('rollback', 'rollback')).toBe(0);
  });
});

describe('rolloutPodsReady', () => {
  const rs = (name: string, replicas: number, owner = 'webapp') => ({
    metadata: { name, ownerReferences: [{ kind: 'Rollout', name: owner }] },
    spec: { replicas },
  });
  const pod = (rsName: string, ready: boolean, deleting = false) => ({
    metadata: {
      ownerReferences: [{ kind: 'ReplicaSet', name: rsName }],
      ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });

  it('is true once each of the rollout’s ReplicaSets has its wanted Ready pods', () => {
    expect(
      rolloutPodsReady(
        'webapp',
        [rs('stable', 2), rs('canary', 1), rs('scaled-down', 0)],
        [pod('stable', true), pod('stable', true), pod('canary', true)],
      ),
    ).toBe(true);
  });

  it('is false while a pod is not Ready, is going away, or is missing, and with no ReplicaSet at all', () => {
    expect(rolloutPodsReady('webapp', [rs('stable', 2)], [pod('stable', true), pod('stable', false)])).toBe(
      false,
    );
    expect(rolloutPodsReady('webapp', [rs('stable', 1)], [pod('stable', true, true)])).toBe(false);
    expect(rolloutPodsReady('webapp', [rs('stable', 1), rs('canary', 1)], [pod('stable', true)])).toBe(false);
    expect(rolloutPodsReady('webapp', [rs('other', 0, 'api')], [])).toBe(false);
  });

  it('pods of another rollout’s ReplicaSets do not count', () => {
    expect(rolloutPodsReady('webapp', [rs('stable', 1), rs('x', 1, 'api')], [pod('x', true)])).toBe(false);
  });
});
