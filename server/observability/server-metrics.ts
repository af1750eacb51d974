import 'server-only';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { WATCHED_KINDS } from '../kube/kinds';
import type { InformerRegistry } from '../kube/registry';

/** What the scrape reads of each started kube context. */
export interface WatchedContext {
  informers: InformerRegistry;
  hub: { readonly clients: number };
}

/**
 * The control center's own metrics for Prometheus: Node's process metrics (RSS, heap, event-loop lag, GC) and, per
 * kube context, the informer caches (objects, connected, synced) and the browser streams attached. Values are read
 * at scrape time from the runtime's started contexts; nothing is kept between scrapes. The runtime builds one.
 */
export function createServerMetrics(started: () => ReadonlyMap<string, WatchedContext>): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'control_center_' });
  new Gauge({
    name: 'control_center_informer_objects',
    help: 'Objects in the informer cache, per kube context and kind.',
    labelNames: ['context', 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [context, { informers: reg }] of started())
        for (const kind of WATCHED_KINDS) this.set({ context, kind }, reg.list(kind).length);
    },
  });
  new Gauge({
    name: 'control_center_informer_connected',
    help: '1 while the informer of a kind lists and watches its Kubernetes API, per kube context.',
    labelNames: ['context', 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [context, { informers: reg }] of started()) {
        const { kinds } = reg.connectivity();
        for (const kind of WATCHED_KINDS) this.set({ context, kind }, kinds[kind].connected ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'control_center_informer_synced',
    help: '1 once every kind of a kube context has been listed.',
    labelNames: ['context'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [context, { informers: reg }] of started())
        this.set({ context }, reg.connectivity().synced ? 1 : 0);
    },
  });
  new Gauge({
    name: 'control_center_stream_clients',
    help: 'Browser live streams (SSE) attached, per kube context.',
    labelNames: ['context'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [context, { hub }] of started()) this.set({ context }, hub.clients);
    },
  });
  return registry;
}
