import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_NAMES } from '@/lib/schemas/actions';
import { openAuditDb, setAuditDb } from '@/server/audit/audit-db';
import { queryAudit } from '@/server/audit/audit-query';
import { inProgress, seedDemo, setRollout } from '@/server/kube/testing/demo-seed';
import { type LabKube, R, startLabKube } from '@/server/kube/testing/lab-kube';
import { post } from './post-helper.test-support';

/**
 * Who may change what, and what bad input does: viewers and operators outside their namespaces are refused, CSRF is
 * checked, and a battery of bad inputs gets 4xx naming the field. After each group the cluster is read back: nothing
 * changed.
 */
let k: LabKube;
beforeAll(async () => {
  // Its own audit database: other test files write theirs at the same time.
  setAuditDb(openAuditDb(path.join(mkdtempSync(path.join(tmpdir(), 'cc-safety-')), 'audit.db')));
  k = await startLabKube();
  process.env.KUBECONFIG = k.lab.kubeconfig;
  seedDemo(k.lab);
  setRollout(k.lab, 'v1.1', {
    ...inProgress,
    currentStepIndex: 1,
    pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2024-05-01T10:00:00Z' }],
  });
});
afterAll(async () => {
  await k?.close();
});

/** Everything an action could touch in demo: the rollout, the faults ConfigMap, the VirtualService, Jobs. */
const snapshot = () =>
  JSON.stringify({
    rollout: k.lab.store.get(R.ro, 'demo', 'webapp'),
    faults: k.lab.store.get(R.cm, 'demo', 'webapp-faults'),
    vs: k.lab.store.get(R.vs, 'demo', 'webapp-vs'),
    jobs: k.lab.store.list(R.job, { namespace: 'demo' }).items,
  });

/** A valid body for each action (what an allowed user would send). */
const VALID: Record<string, unknown> = {
  launch: { image: 'webapp:v1.2' },
  undo: { revision: 1 },
  faults: { scope: 'canary', errorRate: 0.5 },
  load: { rps: 10, durationSeconds: 30 },
};

describe('roles', () => {
  it('viewer: 403 for every action with the reason, the cluster unchanged, the refusal audited', async () => {
    const before = snapshot();
    for (const action of ACTION_NAMES) {
      const r = await post(action, VALID[action] ?? {}, 'demo', 'webapp', 'viewer');
      expect(r.status, action).toBe(403);
      expect(r.json.error).toEqual({
        code: 'forbidden',
        message: 'your role (viewer) is read-only: ask an operator',
      });
    }
    expect(snapshot()).toBe(before);
    const refused = await queryAudit({ user: 'viewer', limit: 100, format: 'json' });
    expect(refused.map((e) => e.action).sort()).toEqual([...ACTION_NAMES].sort());
    expect(refused.every((e) => e.status === 403 && e.role === 'viewer')).toBe(true);
  });

  it('operator outside its namespaces: 403 naming where it may act, the cluster unchanged', async () => {
    const before = snapshot();
    for (const action of ACTION_NAMES) {
      const r = await post(action, VALID[action] ?? {}, 'demo', 'webapp', 'outsider');
      expect(r.status, action).toBe(403);
      expect(r.json.error.message).toBe(
        'your role (operator) may act only in shop on context lab (not in demo on context lab)',
      );
    }
    expect(snapshot()).toBe(before);
  });

  it('anonymous: 401, the cluster unchanged', async () => {
    const before = snapshot();
    for (const action of ACTION_NAMES) {
      const r = await post(action, VALID[action] ?? {}, 'demo', 'webapp', null);
      expect(r.status, action).toBe(401);
    }
    expect(snapshot()).toBe(before);
  });
});

describe('CSRF', () => {
  it('refuses changes without the header, from another origin or another site', async () => {
    const before = snapshot();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ 'x-requested-with': '' }, /X-Requested-With: control-center/],
      [
        { origin: 'https://evil.example' },
        /cross-origin request refused \(Origin: https:\/\/evil\.example\)/,
      ],
      [{ 'sec-fetch-site': 'cross-site' }, /cross-site request refused/],
      [{ 'sec-fetch-site': 'same-site' }, /cross-site request refused/],
      [{ origin: 'null' }, /cross-origin/],
    ];
    for (const [headers, message] of cases) {
      const r = await post('abort', {}, 'demo', 'webapp', 'operator', headers);
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(r.json.error.code).toBe('csrf');
      expect(r.json.error.message).toMatch(message);
    }
    expect(snapshot()).toBe(before);
  });
});

/** [action, body (string = raw), field the message must name, expected status, namespace, name] */
type Case = [string, unknown, string, number?, string?, string?];
const big = 'x'.repeat(70 * 1024);
const BATTERY: Case[] = [
  // launch: image references
  ['launch', { image: 123 }, 'image'],
  ['launch', { image: '' }, 'image'],
  ['launch', { image: 'Web App:latest' }, 'image'],
  ['launch', { image: 'webapp:v1;rm -rf /' }, 'image'],
  ['launch', { image: 'webapp:v1 $(curl evil)' }, 'image'],
  ['launch', { image: 'webapp:v1\nX-Injected: 1' }, 'image'],
  ['launch', { image: 'ｗebapp:v1' }, 'image'], // full-width w
  ['launch', { image: 'webapp:v1\u202e1v' }, 'image'], // right-to-left override
  ['launch', { image: 'web\u200bapp:v1' }, 'image'], // zero-width space
  ['launch', { image: 'a'.repeat(600) }, 'image'],
  ['launch', { image: 'webapp@sha256:abc' }, 'image'],
  ['launch', { image: '../../etc/passwd' }, 'image'],
  ['launch', {}, 'image'],
  ['launch', { image: 'webapp:v1.2', extra: 1 }, 'extra'],
  ['launch', '[]', '(root)'],
  ['launch', '"webapp:v1.2"', '(root)'],
  ['launch', 'image=webapp:v1.2', 'body', 400],
  ['launch', { image: big }, 'body', 413],
  // undo: revisions
  ['undo', { revision: -1 }, 'revision'],
  ['undo', { revision: 0 }, 'revision'],
  ['undo', { revision: 1.5 }, 'revision'],
  ['undo', { revision: '1' }, 'revision'],
  ['undo', { revision: null }, 'revision'],
  ['undo', '{"revision":1e309}', 'revision'],
  // faults: rates, latencies, scope
  ['faults', { scope: 'cluster', errorRate: 0.1 }, 'scope'],
  ['faults', { scope: 'canary', errorRate: -0.1 }, 'errorRate'],
  ['faults', { scope: 'canary', errorRate: 1.5 }, 'errorRate'],
  ['faults', { scope: 'canary', errorRate: 150 }, 'errorRate'],
  ['faults', { scope: 'canary', errorRate: '0.1' }, 'errorRate'],
  ['faults', { scope: 'canary', latencyMs: -5 }, 'latencyMs'],
  ['faults', { scope: 'canary', latencyMs: 1e9 }, 'latencyMs'],
  ['faults', { scope: 'canary', latencyMs: 10.5 }, 'latencyMs'],
  ['faults', { scope: 'mesh', errorRate: 0.1, httpStatus: 200 }, 'httpStatus'],
  ['faults', { scope: 'canary' }, 'errorRate'],
  ['faults', '{"scope":"canary","errorRate":0.1,"__proto__":{"admin":true}}', '__proto__'],
  // load: rates, durations, URLs, headers
  ['load', { rps: 0, durationSeconds: 10 }, 'rps'],
  ['load', { rps: 501, durationSeconds: 10 }, 'rps'],
  ['load', { rps: '10', durationSeconds: 10 }, 'rps'],
  ['load', { rps: 10, durationSeconds: 0 }, 'durationSeconds'],
  ['load', { rps: 10, durationSeconds: 99_999 }, 'durationSeconds'],
  ['load', { rps: 10, durationSeconds: 10, url: 'file:///etc/passwd' }, 'url'],
  ['load', { rps: 10, durationSeconds: 10, url: 'javascript:alert(1)' }, 'url'],
  ['load', { rps: 10, durationSeconds: 10, host: 'evil.com\r\nX-Injected: 1' }, 'host'],
  ['load', { rps: 10, durationSeconds: 10, host: 'webapp.local" -H "x' }, 'host'],
  ['load', { rps: 10, durationSeconds: 10, url: 'http://169.254.169.254/latest/meta-data/' }, 'url'],
  ['load', { rps: 10, durationSeconds: 10, host: 'metadata.google.internal' }, 'host'],
  ['load', { rps: 10, durationSeconds: 10, target: 'metadata' }, 'target'],
  ['load', { rps: 10, durationSeconds: 10, target: 'http://169.254.169.254/' }, 'target'],
  ['load', { stop: false }, 'stop'],
  // actions without a body
  ['promote', { force: true }, 'force'],
  ['abort', { reason: 'x' }, 'reason'],
  ['restart', '{not json', 'body', 400],
  ['pause', big, 'body', 413],
  // path parameters: injection, traversal, unicode, length
  ['promote', undefined, 'namespace', 422, 'demo;drop table'],
  ['promote', undefined, 'namespace', 422, '../kube-system'],
  ['promote', undefined, 'namespace', 422, 'ｄemo'],
  ['promote', undefined, 'namespace', 422, 'demo\u0000'],
  ['promote', undefined, 'name', 422, 'demo', 'WEBAPP'],
  ['promote', undefined, 'name', 422, 'demo', 'wébapp'],
  ['promote', undefined, 'name', 422, 'demo', 'x'.repeat(300)],
  ['promote', undefined, 'name', 422, 'demo', 'webapp,app in (x)'],
  // unknown actions
  ['explode', undefined, 'explode', 404],
  ['PROMOTE', undefined, 'PROMOTE', 404],
  ['__proto__', undefined, '__proto__', 404],
  ['constructor', undefined, 'constructor', 404],
];

describe('bad input battery', () => {
  it(`${BATTERY.length} bad requests: each a 4xx naming the field, the cluster unchanged`, async () => {
    expect(BATTERY.length).toBeGreaterThanOrEqual(40);
    const before = snapshot();
    for (const [action, body, field, status = 422, ns = 'demo', name = 'webapp'] of BATTERY) {
      const label = `${action} ${typeof body === 'string' ? body.slice(0, 40) : JSON.stringify(body)?.slice(0, 60)} ${ns}/${name.slice(0, 20)}`;
      // An admin may act everywhere, so every case reaches validation.
      const r = await post(action, body, ns, name, 'admin');
      expect(r.status, label).toBe(status);
      const err = r.json.error as { code: string; message: string; details?: Array<{ field: string }> };
      expect(err.message, label).toContain(field);
      if (status === 422) expect(err.details?.map((d) => d.field).join(' '), label).toContain(field);
    }
    expect(snapshot()).toBe(before);
  });
});
