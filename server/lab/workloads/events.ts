import { randomBytes } from 'node:crypto';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';

const EVENTS = resource('events');

/** Records a core/v1 Event about `obj` in its namespace; never throws (events are best effort). */
export function recordEvent(
  store: LabStore,
  obj: KubeObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  component = 'lab-kubelet',
): void {
  const namespace = obj.metadata.namespace ?? 'default';
  const now = new Date().toISOString();
  try {
    store.create(EVENTS, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${obj.metadata.name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata.name,
        namespace,
        uid: obj.metadata.uid,
      },
      reason,
      message,
      type,
      count: 1,
      source: { component, host: 'lab' },
      reportingComponent: component,
      reportingInstance: 'lab',
      firstTimestamp: now.replace(/\.\d+Z$/, 'Z'),
      lastTimestamp: now.replace(/\.\d+Z$/, 'Z'),
    });
  } catch {
    // The namespace may be gone or the store closed; events are best effort.
  }
}
