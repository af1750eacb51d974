import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LabStore } from '../../store/lab-store';
import { resource } from '../../store/resources';
import type { AnalysisRun } from '../types';
import { resolvedRun } from './secret-args';

let store: LabStore | undefined;
afterEach(() => store?.close());

function run(): AnalysisRun {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name: 'r', namespace: 'demo' },
    spec: {
      args: [
        { name: 'count', value: '3' },
        { name: 'interval', value: '5s' },
        { name: 'token', valueFrom: { secretKeyRef: { name: 'judge', key: 'token' } } },
      ],
      metrics: [
        {
          name: 'm',
          count: '{{args.count}}',
          interval: '{{args.interval}}',
          provider: { web: { url: 'http://x/?t={{args.token}}' } },
        },
      ],
    },
  } as unknown as AnalysisRun;
}

describe('resolvedRun', () => {
  it('substitutes args into count, interval and provider, reading secret args from the Secret', () => {
    store = new LabStore({ file: path.join(mkdtempSync(path.join(tmpdir(), 'ar-')), 'lab.db') });
    store.create(resource('namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
    store.create(resource('secrets'), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'judge', namespace: 'demo' },
      data: { token: Buffer.from('s3cret').toString('base64') },
    });
    const r = resolvedRun(store, run());
    const m = r.spec.metrics?.[0] as unknown as {
      count: string;
      interval: string;
      provider: { web: { url: string } };
    };
    expect(m.count).toBe('3');
    expect(m.interval).toBe('5s');
    expect(m.provider.web.url).toBe('http://x/?t=s3cret');
  });

  it('leaves a metric unresolved when its secret is missing', () => {
    store = new LabStore({ file: ':memory:' });
    store.create(resource('namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
    const m = resolvedRun(store, run()).spec.metrics?.[0] as unknown as { count: string };
    expect(m.count).toBe('{{args.count}}');
  });
});
