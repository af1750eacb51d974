import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestAs } from '@/server/auth/testing/session';
import { ConfigError, parseControlCenterConfig } from '@/server/config/control-center-config';
import { firstScreenOf } from '@/server/kube/context-summaries';
import { loadKubeConfig, resolveKubeContexts } from '@/server/kube/contexts';
import { readRollout, rolloutObject, seedDemo } from '@/server/kube/testing/demo-seed';
import { create, type LabKube, startLabKube } from '@/server/kube/testing/lab-kube';
import { writeMergedKubeconfig } from '@/server/kube/testing/merged-kubeconfig';
import { startTestRuntime, type TestRuntime } from '@/server/runtime/testing/test-runtime';
import { sseReader } from '@/server/stream/testing/sse-reader';
import { GET as getAudit } from '../audit/route';
import { GET as getStream } from '../stream/route';
import { POST } from './[namespace]/[name]/[action]/route';
import { GET as getOne } from './[namespace]/[name]/route';
import { GET as getTimeline } from './[namespace]/[name]/timeline/route';
import { GET as getList } from './route';

// Two real lab API servers (HTTPS, token auth) in one kubeconfig as two contexts: what a platform engineer with a
// staging and a production cluster configures.
let a: LabKube;
let b: LabKube;
let dir: string;
let rt: TestRuntime;
const saved = { KUBECONFIG: process.env.KUBECONFIG, DATA: process.env.CONTROL_CENTER_DATA_DIR };

// biome-ignore lint/suspicious/noExplicitAny: API JSON is walked freely
type Json = any;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-contexts-'));
  [a, b] = await Promise.all([startLabKube(), startLabKube()]);
  for (const [lab, tag] of [
    [a, 'v1.0'],
    [b, 'v2.0'],
  ] as const) {
    seedDemo(lab.lab);
    create(lab.lab, 'rollouts', rolloutObject(tag));
  }
  create(b.lab, 'rollouts', { ...rolloutObject('v2.0'), metadata: { name: 'api', namespace: 'demo' } });
  process.env.KUBECONFIG = writeMergedKubeconfig(path.join(dir, 'kubeconfig'), [
    ['lab-a', a.lab.kubeconfig],
    ['lab-b', b.lab.kubeconfig],
  ]);
  process.env.CONTROL_CENTER_DATA_DIR = dir;
  // The server's runtime over both: each context gets its own clients, informers, streams and recorder.
  rt = startTestRuntime({
    contexts: resolveKubeContexts([{ name: 'lab-a' }, { name: 'lab-b' }], loadKubeConfig()),
    recordTimeline: true,
  });
});

afterAll(async () => {
  await rt?.done();
  process.env.KUBECONFIG = saved.KUBECONFIG;
  process.env.CONTROL_CENTER_DATA_DIR = saved.DATA;
  await Promise.all([a?.close(), b?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

const list = async (q = '') => getList(await requestAs('viewer', `http://cc.test/api/v1/rollouts${q}`));
const one = async (name: string, q = '') =>
  getOne(await requestAs('viewer', `http://cc.test/api/v1/rollouts/demo/${name}${q}`), {
    params: Promise.resolve({ namespace: 'demo', name }),
  });
const act = async (action: string, q: string, user: 'admin' | 'operator' = 'operator') =>
  POST(
    await requestAs(user, `http://cc.test/api/v1/rollouts/demo/webapp/${action}${q}`, {
      method: 'POST',
      body: '{}',
    }),
    { params: Promise.resolve({ namespace: 'demo', name: 'webapp', action }) },
  );
const timelineOf = async (q: string) =>
  (
    await getTimeline(await requestAs('viewer', `http://cc.test/api/v1/rollouts/demo/webapp/timeline${q}`), {
      params: Promise.resolve({ namespace: 'demo', name: 'webapp' }),
    })
  ).json() as Promise<Json>;
const imageOf = (v: Json) => v.raw.rollout.spec.template.spec.containers[0].image;

describe('several kube contexts side by side', () => {
  it('the overview lists the rollouts of every context, each tagged with its context', async () => {
    const res = await list();
    expect(res.status).toBe(200);
    const body: Json = await res.json();
    const rows = body.items.map((r: Json) => `${r.context}/${r.namespace}/${r.name}`).sort();
    expect(rows).toEqual(['lab-a/demo/webapp', 'lab-b/demo/api', 'lab-b/demo/webapp']);
    expect(body.contexts.map((c: Json) => [c.name, c.connected])).toEqual([
      ['lab-a', true],
      ['lab-b', true],
    ]);
    const onlyB: Json = await (await list('?context=lab-b')).json();
    expect(onlyB.items.map((r: Json) => r.name).sort()).toEqual(['api', 'webapp']);
    expect(onlyB.items.every((r: Json) => r.context === 'lab-b')).toBe(true);
  });

  it("the overview page's first screen takes the first rows across the contexts, tagged, with each one's counts", async () => {
    const screen = await firstScreenOf(['lab-a', 'lab-b'], 2, 10_000);
    // By name (nothing needs attention): demo/api of lab-b, then the first of the two demo/webapp rows.
    expect(screen.items.map((r) => `${r.context}/${r.name}`)).toEqual(['lab-b/api', 'lab-a/webapp']);
    expect(screen.counts).toEqual({
      'lab-a': { total: 1, attention: 0 },
      'lab-b': { total: 2, attention: 0 },
    });
    expect(screen.contexts.map((c) => [c.name, c.synced])).toEqual([
      ['lab-a', true],
      ['lab-b', true],
    ]);
  });

  it('an unknown context is a 422 naming the field and the configured contexts', async () => {
    for (const res of [
      await list('?context=prod'),
      await one('webapp', '?context=prod'),
      await act('pause', '?context=prod'),
    ]) {
      expect(res.status).toBe(422);
      const body: Json = await res.json();
      expect(body.error.message).toContain('context');
      expect(body.error.message).toContain('lab-a, lab-b');
      expect(body.error.details[0].field).toBe('context');
    }
    expect((await list('?context=a%20b')).status).toBe(422);
  });

  it('a rollout is read from the context asked for; without one, from the default (first) context', async () => {
    const fromB: Json = await (await one('webapp', '?context=lab-b&raw=1')).json();
    expect(fromB.context).toBe('lab-b');
    expect(imageOf(fromB)).toBe('webapp:v2.0');
    const byDefault: Json = await (await one('webapp', '?raw=1')).json();
    expect(byDefault.context).toBe('lab-a');
    expect(imageOf(byDefault)).toBe('webapp:v1.0');
    expect((await one('api')).status).toBe(404);
    expect((await one('api', '?context=lab-b')).status).toBe(200);
  });

  it('an operator scoped with `namespaces: [demo]` acts on the default context only: 403 naming the context elsewhere', async () => {
    const before = JSON.stringify(readRollout(b.lab));
    for (const action of ['promote', 'abort', 'pause']) {
      const res = await act(action, '?context=lab-b');
      expect(res.status, action).toBe(403);
      const body: Json = await res.json();
      expect(body.error.message).toBe(
        'your role (operator) may act only in demo on context lab-a (not in demo on context lab-b)',
      );
    }
    expect(JSON.stringify(readRollout(b.lab))).toBe(before);
    // The refusal is audited with the context it was aimed at.
    const audit: Json = await (
      await getAudit(await requestAs('admin', 'http://cc.test/api/v1/audit?user=operator&action=abort'))
    ).json();
    expect(audit.items[0]).toMatchObject({ context: 'lab-b', status: 403 });
  });

  it('an action goes to its context only, and lands in that context’s timeline', async () => {
    const res = await act('pause', '?context=lab-b', 'admin');
    expect(res.status).toBe(200);
    expect(readRollout(b.lab).spec.paused).toBe(true);
    expect(readRollout(a.lab).spec.paused).toBeUndefined();
    const inB: Json = await timelineOf('?context=lab-b');
    const inA: Json = await timelineOf('?context=lab-a');
    expect(inB.items.some((e: Json) => e.kind === 'action' && e.details.action === 'pause')).toBe(true);
    expect(inA.items.some((e: Json) => e.kind === 'action')).toBe(false);
  });

  it('the stream of a context carries that context’s objects only', async () => {
    const ctl = new AbortController();
    const res = await getStream(
      await requestAs('viewer', 'http://cc.test/api/v1/stream?context=lab-b&namespace=demo', {
        signal: ctl.signal,
      }),
    );
    expect(res.status).toBe(200);
    const msgs = await sseReader(res).until((m) => m.event === 'snapshot' && m.data.type === 'END', 10_000);
    ctl.abort();
    const rollouts = msgs.filter((m) => m.event === 'rollout').map((m) => m.data.object);
    expect(rollouts.map((r: Json) => r.metadata.name).sort()).toEqual(['api', 'webapp']);
    expect(
      rollouts.find((r: Json) => r.metadata.name === 'webapp').spec.template.spec.containers[0].image,
    ).toBe('webapp:v2.0');
    const bad = await getStream(await requestAs('viewer', 'http://cc.test/api/v1/stream?context=nope'));
    expect(bad.status).toBe(422);
  });
});

describe('CONTROL_CENTER_CONFIG contexts', () => {
  it('a context missing from the kubeconfig stops start-up with a message naming it', () => {
    const kc = loadKubeConfig();
    expect(() => resolveKubeContexts([{ name: 'lab-a' }, { name: 'staging' }], kc)).toThrow(ConfigError);
    expect(() => resolveKubeContexts([{ name: 'lab-a' }, { name: 'staging' }], kc)).toThrow(
      /contexts\.1\.name: no context "staging" in the kubeconfig \(it has: lab-a, lab-b\)/,
    );
    const one = resolveKubeContexts(undefined, kc);
    expect(one).toEqual({ list: [{ name: 'lab-a' }], defaultName: 'lab-a', several: false, explicit: false });
  });

  it('the config file takes a list of contexts with an optional Prometheus each; duplicates and bad URLs are refused', () => {
    const cfg = parseControlCenterConfig(
      'contexts:\n  - name: kind-prod\n    prometheusUrl: http://prom.prod:9090\n  - name: kind-staging\n',
    );
    expect(cfg.contexts).toEqual([
      { name: 'kind-prod', prometheusUrl: 'http://prom.prod:9090' },
      { name: 'kind-staging' },
    ]);
    expect(() => parseControlCenterConfig('contexts:\n  - name: a\n  - name: a\n')).toThrow(
      /context names must be unique/,
    );
    expect(() => parseControlCenterConfig('contexts:\n  - name: a\n    prometheusUrl: ftp://x\n')).toThrow(
      /contexts\.0\.prometheusUrl/,
    );
    expect(() => parseControlCenterConfig('contexts: []\n')).toThrow(/contexts/);
  });
});
