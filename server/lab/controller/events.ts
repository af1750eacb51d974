import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import { rfc3339 } from './duration';
import { shortHash } from './hash';

export interface EventSpec {
  eventType: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

const EVENTS = resource('events');
export const EVENT_SOURCE = 'rollouts-controller';

/**
 * Records a core/v1 Event on an object, aggregated like client-go's recorder: the same reason and message on the same
 * object bumps `count` and `lastTimestamp` of one Event instead of adding another.
 */
export function recordEvent(store: LabStore, involved: KubeObject, ev: EventSpec, now: number): void {
  const ns = involved.metadata.namespace ?? 'default';
  const name = `${involved.metadata.name}.${shortHash([involved.metadata.uid, ev.eventType, ev.reason, ev.message])}`;
  const ts = rfc3339(now);
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
    source: { component: EVENT_SOURCE },
    reportingComponent: EVENT_SOURCE,
    reportingInstance: EVENT_SOURCE,
    count: 1,
    firstTimestamp: ts,
    lastTimestamp: ts,
    eventTime: null,
  });
}
