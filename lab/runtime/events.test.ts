import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import { tempDir } from '../workloads/testing/lab-fixtures';
import { recordEvent } from './events';

const EVENTS = resource('events');
const NS = resource('namespaces');
const PODS = resource('pods');

let store: LabStore | undefined;
afterEach(() => store?.close());

function seeded(): { store: LabStore; pod: KubeObject } {
  store = new LabStore({ file: path.join(tempDir('lab-events-'), 'lab.db') });
  store.create(NS, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  const pod = store.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'webapp-1', namespace: 'demo' },
    spec: { containers: [{ name: 'app', image: 'webapp:v1' }] },
  });
  return { store, pod };
}

describe('the lab event recorder', () => {
  it("aggregates a repeated event as client-go's recorder does: one Event, count and lastTimestamp move", () => {
    const { store, pod } = seeded();
    const backOff = {
      eventType: 'Warning' as const,
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
    };
    const kubelet = { component: 'kubelet', host: 'lab' };
    recordEvent(store, pod, backOff, Date.parse('2026-01-01T00:00:00Z'), kubelet);
    recordEvent(store, pod, backOff, Date.parse('2026-01-01T00:00:10Z'), kubelet);
    recordEvent(
      store,
      pod,
      { ...backOff, reason: 'Started', eventType: 'Normal', message: 'Started' },
      0,
      kubelet,
    );
    const events = store.list(EVENTS, { namespace: 'demo' }).items;
    expect(events).toHaveLength(2);
    const b = events.find((e) => e.reason === 'BackOff');
    expect(b).toMatchObject({
      count: 2,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:10Z',
      source: { component: 'kubelet', host: 'lab' },
      involvedObject: { kind: 'Pod', name: 'webapp-1', uid: pod.metadata.uid },
    });
  });

  it('never fails the reconcile that records it (a namespace that is gone)', () => {
    const { store, pod } = seeded();
    const gone = { ...pod, metadata: { ...pod.metadata, namespace: 'gone' } };
    expect(() =>
      recordEvent(store, gone, { eventType: 'Normal', reason: 'Killing', message: 'x' }, 0),
    ).not.toThrow();
    expect(store.list(EVENTS, { namespace: 'gone' }).items).toEqual([]);
  });
});
