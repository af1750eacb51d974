import { describe, expect, it } from 'vitest';
import type { Rollout, VirtualService } from '../rollout/kube-types';
import type { LoadJob } from '../rollout/load-progress';
import type { FaultsBody } from '../schemas/actions';
import type { PlanInput } from './plan-input';
import { PLANS } from './plans';
import { ActionRefusal } from './refusal';

// Faults and load are the control center's own actions (no kubectl-argo-rollouts counterpart): ConfigMap
// webapp-faults read by the demo app, Istio's HTTPFaultInjection on the VirtualService route, a loadgen Job.

const NOW = new Date('2026-03-04T05:06:07Z');
const canaryRunning: Rollout = {
  metadata: { name: 'webapp', namespace: 'demo' },
  spec: {
    strategy: {
      canary: { trafficRouting: { istio: { virtualService: { name: 'webapp', routes: ['primary'] } } } },
    },
    template: { spec: { containers: [{ name: 'webapp', image: 'registry:5000/webapp:v1.1@sha256:ab' }] } },
  },
  status: { currentPodHash: 'h11', stableRS: 'h10' },
};
const settled: Rollout = { ...canaryRunning, status: { currentPodHash: 'h10', stableRS: 'h10' } };
const faults = (b: Partial<FaultsBody>): FaultsBody => ({
  scope: 'canary',
  errorRate: 0,
  latencyMs: 0,
  httpStatus: 503,
  clear: false,
  ...b,
});
const input = <B>(rollout: Rollout, body: B, more: Partial<PlanInput<B>> = {}): PlanInput<B> => ({
  rollout,
  body,
  now: NOW,
  ...more,
});
const CM = { kind: 'ConfigMap', name: 'webapp-faults' } as const;

describe('canary faults: the canary version entry of ConfigMap webapp-faults', () => {
  const cm = { metadata: { resourceVersion: '41' }, data: { 'faults.json': '{"v1.0":{"errorRate":1}}' } };
  it('a merge patch guarded by the resourceVersion read, keyed by the image tag', () => {
    const data = { 'faults.json': '{"v1.0":{"errorRate":1},"v1.1":{"errorRate":0.2,"latencyMs":300}}' };
    const body = faults({ errorRate: 0.2, latencyMs: 300 });
    expect(PLANS.faults.plan(input(canaryRunning, body, { faultsConfigMap: cm }))).toEqual([
      {
        verb: 'patch',
        resource: CM,
        type: 'merge',
        body: { metadata: { resourceVersion: '41' }, data },
        shown: { data },
      },
    ]);
  });
  it('created when there is none; cleared without a canary: every entry removed', () => {
    const data = { 'faults.json': '{"v1.1":{"errorRate":0.5,"latencyMs":0}}' };
    expect(
      PLANS.faults.plan(input(canaryRunning, faults({ errorRate: 0.5 }), { faultsConfigMap: null })),
    ).toEqual([
      {
        verb: 'create',
        resource: CM,
        body: { metadata: { name: 'webapp-faults', namespace: 'demo' }, data },
        shown: { data },
      },
    ]);
    const [clear] = PLANS.faults.plan(input(settled, faults({ clear: true }), { faultsConfigMap: cm }));
    expect(clear).toMatchObject({ verb: 'patch', body: { data: { 'faults.json': '{}' } } });
  });
  it('no canary running: 409', () => {
    expect(() =>
      PLANS.faults.plan(input(settled, faults({ errorRate: 0.5 }), { faultsConfigMap: cm })),
    ).toThrow(/no canary is running/);
  });
  it('reads the ConfigMap for canary faults and the VirtualService for mesh faults', () => {
    expect(PLANS.faults.reads(faults({}))).toEqual(['faultsConfigMap']);
    expect(PLANS.faults.reads(faults({ scope: 'mesh' }))).toEqual(['virtualService']);
  });
});

describe('mesh faults: Istio fault on the named route, a JSON patch guarded by a test of its name', () => {
  const vs = (fault?: unknown): VirtualService => ({
    metadata: { name: 'webapp' },
    spec: { http: [{ name: 'mirror' }, { name: 'primary', ...(fault ? { fault } : {}) }] } as never,
  });
  const VS = { kind: 'VirtualService', name: 'webapp' } as const;
  it('adds abort (a percentage, the status) and delay on route 1', () => {
    const body = faults({ scope: 'mesh', errorRate: 0.125, latencyMs: 1500, httpStatus: 500 });
    expect(PLANS.faults.plan(input(canaryRunning, body, { virtualService: vs() }))).toEqual([
      {
        verb: 'patch',
        resource: VS,
        type: 'json',
        body: [
          { op: 'test', path: '/spec/http/1/name', value: 'primary' },
          {
            op: 'add',
            path: '/spec/http/1/fault',
            value: {
              abort: { percentage: { value: 12.5 }, httpStatus: 500 },
              delay: { percentage: { value: 100 }, fixedDelay: '1.5s' },
            },
          },
        ],
      },
    ]);
  });
  it('clear removes the fault; clearing a route without one sends nothing', () => {
    const clear = faults({ scope: 'mesh', clear: true });
    const withFault = vs({ delay: {} });
    expect(PLANS.faults.plan(input(canaryRunning, clear, { virtualService: withFault }))[0]).toMatchObject({
      body: [
        { op: 'test', path: '/spec/http/1/name', value: 'primary' },
        { op: 'remove', path: '/spec/http/1/fault' },
      ],
    });
    const none = vs();
    expect(PLANS.faults.plan(input(canaryRunning, clear, { virtualService: none }))).toEqual([
      { verb: 'none', resource: VS, type: 'json', current: none, shown: [] },
    ]);
  });
  it('a rollout naming no VirtualService: 409', () => {
    const plain = { ...canaryRunning, spec: { ...canaryRunning.spec, strategy: { canary: {} } } };
    expect(() => PLANS.faults.plan(input(plain, faults({ scope: 'mesh', latencyMs: 5 })))).toThrow(
      new ActionRefusal(
        409,
        'conflict',
        'cannot inject mesh faults: the rollout names no Istio VirtualService',
      ),
    );
  });
});

describe('load: a loadgen Job per run', () => {
  const loadTarget = { name: 'gateway', url: 'http://gw/api/work', host: 'webapp.local' };
  const running: LoadJob[] = [
    { metadata: { name: 'webapp-load-a' } },
    { metadata: { name: 'webapp-load-b' } },
  ];
  it('start: creates the Job; a run in progress is 409', () => {
    const [req] = PLANS.load.plan(
      input(settled, { rps: 20, durationSeconds: 60 }, { loadJobs: [], loadTarget }),
    );
    const name = `webapp-load-${NOW.getTime().toString(36)}`;
    expect(req).toMatchObject({
      verb: 'create',
      resource: { kind: 'Job', name },
      body: { metadata: { name } },
    });
    expect(() =>
      PLANS.load.plan(input(settled, { rps: 20, durationSeconds: 60 }, { loadJobs: running, loadTarget })),
    ).toThrow(/load run webapp-load-a is in progress/);
  });
  it('stop: deletes every running Job in the background; none running is 409', () => {
    expect(PLANS.load.plan(input(settled, { stop: true }, { loadJobs: running }))).toEqual(
      running.map((j) => ({
        verb: 'delete',
        resource: { kind: 'Job', name: j.metadata?.name },
        propagationPolicy: 'Background',
        current: j,
      })),
    );
    expect(() => PLANS.load.plan(input(settled, { stop: true }, { loadJobs: [] }))).toThrow(/no load run/);
  });
});
