import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LabStore } from './lab-store';
import { resource } from './resources';
import type { KubeObject, WatchEvent } from './types';

const ns = resource('namespaces');
const cm = resource('configmaps');
const pods = resource('pods');
const rollouts = resource('rollouts');

const tmp = () => path.join(mkdtempSync(path.join(tmpdir(), 'lab-store-')), 'lab.db');
const open: LabStore[] = [];
function store(file = ':memory:', historySize?: number): LabStore {
  const s = new LabStore({ file, historySize });
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

function seed(s: LabStore): void {
  s.create(ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
}
const configMap = (name: string, data: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'demo', labels: { app: 'webapp' } },
  data,
});

describe('LabStore', () => {
  it('creates with uid, timestamps and resourceVersion, and refuses duplicates and bad names', () => {
    const s = store();
    seed(s);
    const created = s.create(cm, configMap('a'));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(() => s.create(cm, configMap('a'))).toThrow(/already exists/);
    expect(() => s.create(cm, configMap('Bad_Name'))).toThrow(/RFC 1123/);
    expect(() => s.create(cm, { ...configMap('x'), metadata: { name: 'x', namespace: 'nope' } })).toThrow(
      /namespaces "nope" not found/,
    );
    const gen = s.create(cm, { ...configMap(''), metadata: { generateName: 'web-', namespace: 'demo' } });
    expect(gen.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
  });

  it('answers 409 to a stale resourceVersion and does not bump it on a no-op', () => {
    const s = store();
    seed(s);
    const a = s.create(cm, configMap('a', { k: '1' }));
    const b = s.update(cm, { ...a, data: { k: '2' } });
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(() => s.update(cm, { ...a, data: { k: '3' } })).toThrow(/has been modified/);
    const same = s.update(cm, b);
    expect(same.metadata.resourceVersion).toBe(b.metadata.resourceVersion);
  });

  it('keeps status and spec apart and bumps generation only on spec changes', () => {
    const s = store();
    seed(s);
    const ro = s.create(rollouts, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'web', namespace: 'demo' },
      spec: { replicas: 1 },
      status: { phase: 'ignored on create' },
    });
    expect(ro.metadata.generation).toBe(1);
    expect(ro.status).toBeUndefined();
    const st = s.update(rollouts, { ...ro, status: { phase: 'Healthy' } }, { subresource: 'status' });
    expect(st.status).toEqual({ phase: 'Healthy' });
    expect(st.metadata.generation).toBe(1);
    const spec = s.update(rollouts, { ...st, spec: { replicas: 2 }, status: { phase: 'lost' } });
    expect(spec.metadata.generation).toBe(2);
    expect(spec.status).toEqual({ phase: 'Healthy' });
  });

  it('lists by namespace and selectors', () => {
    const s = store();
    seed(s);
    s.create(cm, configMap('a'));
    s.create(cm, { ...configMap('b'), metadata: { name: 'b', namespace: 'demo', labels: { app: 'other' } } });
    expect(
      s.list(cm, { namespace: 'demo', labelSelector: 'app=webapp' }).items.map((o) => o.metadata.name),
    ).toEqual(['a']);
    expect(s.list(cm, { labelSelector: 'app in (webapp,other)' }).items).toHaveLength(2);
    expect(s.list(cm, { fieldSelector: 'metadata.name=b' }).items).toHaveLength(1);
    expect(s.list(cm, { namespace: 'elsewhere' }).items).toHaveLength(0);
  });

  it('delivers watch events in order, resumes from a resourceVersion, and answers 410 when too old', () => {
    const s = store(':memory:', 5);
    seed(s);
    const seen: WatchEvent[] = [];
    const a = s.create(cm, configMap('a'));
    const stop = s.watch(cm, { namespace: 'demo', resourceVersion: a.metadata.resourceVersion }, (e) =>
      seen.push(e),
    );
    const b = s.update(cm, { ...a, data: { x: 'y' } });
    s.delete(cm, 'demo', 'a');
    stop();
    expect(seen.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    const replay: string[] = [];
    s.watch(cm, { resourceVersion: a.metadata.resourceVersion }, (e) => replay.push(e.type))();
    expect(replay).toEqual(['MODIFIED', 'DELETED']);
    for (let i = 0; i < 20; i++) s.create(cm, configMap(`n${i}`));
    expect(() => s.watch(cm, { resourceVersion: b.metadata.resourceVersion }, () => {})).toThrow(/too old/);
  });

  it('cascades deletes to owned objects and namespace contents', () => {
    const s = store();
    seed(s);
    const owner = s.create(cm, configMap('owner'));
    s.create(pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p1',
        namespace: 'demo',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid ?? '' },
        ],
      },
      spec: { containers: [{ name: 'c', image: 'webapp:v1.0' }] },
    });
    s.delete(cm, 'demo', 'owner');
    expect(s.get(pods, 'demo', 'p1')).toBeUndefined();
    s.create(cm, configMap('left'));
    s.delete(ns, undefined, 'demo');
    expect(s.list(cm).items).toHaveLength(0);
  });

  it('keeps every acknowledged write across kill -9 and continues resourceVersions', () => {
    const file = tmp();
    const script = `
      const { LabStore } = require(${JSON.stringify(path.join(__dirname, 'lab-store.ts'))});
      const { resource } = require(${JSON.stringify(path.join(__dirname, 'resources.ts'))});
      const s = new LabStore({ file: ${JSON.stringify(file)} });
      s.create(resource('namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
      for (let i = 0; ; i++) {
        s.create(resource('configmaps'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' + i, namespace: 'demo' } });
        process.stdout.write(i + '\\n');
        if (i === 300) process.kill(process.pid, 'SIGKILL');
      }`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.signal).toBe('SIGKILL');
    const acked = r.stdout.trim().split('\n').map(Number);
    const last = acked.at(-1) ?? -1;
    expect(last).toBe(300);
    const s = store(file);
    const names = new Set(s.list(cm).items.map((o) => o.metadata.name));
    for (const i of acked) expect(names.has(`c${i}`)).toBe(true);
    const rvBefore = Number(s.currentResourceVersion());
    expect(rvBefore).toBeGreaterThanOrEqual(302);
    const next = s.create(cm, configMap('after'));
    expect(Number(next.metadata.resourceVersion)).toBe(rvBefore + 1);
    const resumed: string[] = [];
    s.watch(cm, { resourceVersion: String(rvBefore - 1) }, (e) =>
      resumed.push(e.object.metadata.name ?? ''),
    )();
    expect(resumed).toEqual(['c300', 'after']);
  });
});
