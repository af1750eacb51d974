import { rfc3339 } from '../controller/duration';
import { shortHash } from '../controller/hash';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';

export interface EventSpec {
  eventType: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** Who reports an event: `source.component` and, for a node's kubelet, `source.host`. */
export interface EventSource {
  component: string;
  host?: string;
}

const EVENTS = resource('events');
export const EVENT_SOURCE = 'rollouts-controller';

/**
 * The lab's one event recorder (the Rollout controller, the kubelet, the ReplicaSet and Job controllers), aggregated as
 * client-go's recorder does: the same reason and message on the same object bumps `count` and `lastTimestamp` of one
 * Event instead of adding another. Best effort like client-go's: it never fails the reconcile that records it (the
 * namespace may be gone or the store closed).
 */
export function recordEvent(
  store: LabStore,
  involved: KubeObject,
  ev: EventSpec,
  now: number,
  source: EventSource = { component: EVENT_SOURCE },
): void {
  const ns = involved.metadata.namespace ?? 'default';
  const name = `${involved.metadata.name}.${shortHash([involved.metadata.uid, ev.eventType, ev.reason, ev.message])}`;
  const ts = rfc3339(now);
  try {
    const existing = store.get(EVENTS, ns, name);
    if (existing) {
      store.mutate(EVENTS, ns, name, (e) => ({
        ...e,
        count: ((e.count as number | undefined) ?? 1) + 1,
        lastTimestamp: ts,
      }));
      return;
    }
    store.create(EVENTS, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace: ns,
        uid: involved.metadata.uid,
        resourceVersion: involved.metadata.resourceVersion,
      },
      reason: ev.reason,
      message: ev.message,
      type: ev.eventType,
      source: source.host
        ? { component: source.component, host: source.host }
        : { component: source.component },
      reportingComponent: source.component,
      reportingInstance: source.host ?? source.component,
      count: 1,
      firstTimestamp: ts,
      lastTimestamp: ts,
      eventTime: null,
    });
  } catch {
    // Best effort, as above.
  }
}
