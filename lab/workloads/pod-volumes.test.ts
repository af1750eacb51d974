import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LabStore } from '../store/lab-store';
import type { KubeObject } from '../store/types';
import { mountMap } from './pod-env';
import { podVolumes, removePodVolumes, syncVolume } from './pod-volumes';
import { tempDir } from './testing/lab-fixtures';

/** A pod as an older lab may have stored it (no API validation on the way): the runner alone must hold the line. */
const pod = (volumes: unknown[], namespace = 'demo', name = 'p'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, uid: 'u' },
  spec: { volumes, containers: [{ name: 'app', image: 'webapp:v1.0' }] },
});

describe('pod volume folders never leave <dir>/volumes', () => {
  const dir = tempDir('lab-volumes');
  const store = new LabStore({ file: ':memory:' });
  afterAll(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves out volumes whose name is not a DNS-1123 label, and creates nothing outside', () => {
    const vols = podVolumes(
      dir,
      pod([
        { name: '../../escape', emptyDir: {} },
        { name: '..', emptyDir: {} },
        { name: 'a/b', emptyDir: {} },
        { name: 'data', emptyDir: {} },
      ]),
    );
    expect(vols.map((v) => v.name)).toEqual(['data']);
    for (const v of vols) syncVolume(store, 'demo', v);
    expect(fs.readdirSync(dir)).toEqual(['volumes']);
    expect(fs.readdirSync(path.join(dir, 'volumes', 'demo', 'p'))).toEqual(['data']);
    expect(fs.statSync(path.join(dir, 'volumes', 'demo', 'p', 'data')).mode & 0o777).toBe(0o700);
  });

  it('a subPath that climbs out of its volume is not mapped', () => {
    const vols = podVolumes(dir, pod([{ name: 'data', emptyDir: {} }]));
    const container = {
      name: 'app',
      volumeMounts: [
        { name: 'data', mountPath: '/up', subPath: '../../..' },
        { name: 'data', mountPath: '/in', subPath: 'sub' },
      ],
    };
    expect(mountMap(container, vols)).toEqual([
      ['/in', path.join(dir, 'volumes', 'demo', 'p', 'data', 'sub')],
    ]);
  });

  it('a pod whose namespace or name would climb out has no volumes and removes nothing outside', () => {
    fs.mkdirSync(path.join(dir, 'keep'));
    expect(podVolumes(dir, pod([{ name: 'data', emptyDir: {} }], '..', '..'))).toEqual([]);
    removePodVolumes(dir, '..', '..');
    removePodVolumes(dir, '..', 'keep');
    expect(fs.existsSync(path.join(dir, 'keep'))).toBe(true);
  });
});
