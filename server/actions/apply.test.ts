import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planPromote } from '@/lib/actions/plan-rollout';
import type { Rollout } from '@/lib/rollout/kube-types';
import { clientsFor, type KubeClients } from '../kube/client';
import { applyPlan } from './apply';
import { runAction } from './run-action';

// A recording HTTP server stands in for the API server: the lab always serves Rollouts with a status subresource and
// answers a PUT only on its own conflicts, so a cluster without the subresource (Argo v0.9's CRD) and repeated 409s
// cannot be produced with it.

interface Seen {
  method: string;
  path: string;
  contentType: string | undefined;
  body: unknown;
}
type Answer = (req: Seen) => { status: number; body: unknown };

const ROLLOUT = '/apis/argoproj.io/v1alpha1/namespaces/demo/rollouts/webapp';
const paused: Rollout = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'webapp', namespace: 'demo', resourceVersion: '7' },
  spec: {
    paused: true,
    strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } },
    template: { spec: { containers: [{ name: 'webapp', image: 'webapp:v1.0' }] } },
  },
  status: { currentPodHash: 'h11', stableRS: 'h10', currentStepIndex: 1, pauseConditions: [{ reason: 'x' }] },
};
const notFound = { status: 404, body: { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 } };
const conflict = { status: 409, body: { kind: 'Status', status: 'Failure', reason: 'Conflict', code: 409 } };

let server: http.Server;
let c: KubeClients;
let seen: Seen[] = [];
let answer: Answer = () => ({ status: 500, body: {} });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d) => {
      text += d;
    });
    req.on('end', () => {
      const s: Seen = {
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body: text ? JSON.parse(text) : undefined,
      };
      seen.push(s);
      const a = answer(s);
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'test-token' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  c = clientsFor(kc);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
});

const MERGE = 'application/merge-patch+json';

describe('a plan sent to the API server', () => {
  it('with the status subresource: the status patch, then the spec patch', async () => {
    answer = () => ({ status: 200, body: paused });
    const out = await applyPlan(c, 'demo', planPromote({ rollout: paused, body: {}, now: new Date() }));
    expect(seen).toEqual([
      {
        method: 'PATCH',
        path: `${ROLLOUT}/status`,
        contentType: MERGE,
        body: { status: { pauseConditions: null } },
      },
      { method: 'PATCH', path: ROLLOUT, contentType: MERGE, body: { spec: { paused: false } } },
    ]);
    expect(out.patches.map((p) => p.target)).toEqual(['/status', 'main']);
  });

  it('without it (404): the unified patch goes to the rollout and the plan ends there', async () => {
    answer = (s) => (s.path.endsWith('/status') ? notFound : { status: 200, body: paused });
    const out = await applyPlan(c, 'demo', planPromote({ rollout: paused, body: {}, now: new Date() }));
    const unified = { spec: { paused: false }, status: { pauseConditions: null } };
    expect(seen.map((s) => [s.method, s.path, s.body])).toEqual([
      ['PATCH', `${ROLLOUT}/status`, { status: { pauseConditions: null } }],
      ['PATCH', ROLLOUT, unified],
    ]);
    expect(out).toMatchObject({
      target: 'main',
      patch: unified,
      patches: [{ target: 'main', type: 'merge' }],
    });
  });

  it('another error of the status patch stops the plan and is thrown with its status', async () => {
    answer = () => ({ status: 403, body: { kind: 'Status', code: 403, message: 'forbidden' } });
    await expect(
      applyPlan(c, 'demo', planPromote({ rollout: paused, body: {}, now: new Date() })),
    ).rejects.toMatchObject({ code: 403 });
    expect(seen).toHaveLength(1);
  });
});

describe('launch retries a conflict from a fresh read, 5 attempts in all', () => {
  it('a 409 then success: read, PUT, read again, PUT', async () => {
    let puts = 0;
    answer = (s) => (s.method === 'PUT' && ++puts === 1 ? conflict : { status: 200, body: paused });
    const out = await runAction(c, 'demo', 'webapp', { action: 'launch', body: { image: 'webapp:v2' } });
    expect(seen.map((s) => s.method)).toEqual(['GET', 'PUT', 'GET', 'PUT']);
    const put = seen[3]?.body as Rollout;
    expect(put.spec?.template?.spec?.containers?.[0]?.image).toBe('webapp:v2');
    expect(put.metadata?.resourceVersion).toBe('7');
    expect(out.target).toBe('main');
  });

  it('409 every time: gives up after the fifth PUT with the 409', async () => {
    answer = (s) => (s.method === 'PUT' ? conflict : { status: 200, body: paused });
    await expect(
      runAction(c, 'demo', 'webapp', { action: 'launch', body: { image: 'webapp:v2' } }),
    ).rejects.toMatchObject({ code: 409 });
    expect(seen.filter((s) => s.method === 'PUT')).toHaveLength(5);
  });

  it('promote does not retry a 409', async () => {
    answer = (s) => (s.method === 'PATCH' ? conflict : { status: 200, body: paused });
    await expect(runAction(c, 'demo', 'webapp', { action: 'promote', body: {} })).rejects.toMatchObject({
      code: 409,
    });
    expect(seen.map((s) => s.method)).toEqual(['GET', 'PATCH']);
  });
});
