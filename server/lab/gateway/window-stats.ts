import { bucketIndex, DURATION_BUCKETS_MS } from './istio-metrics';

const WINDOW_SECONDS = 30 * 60;

interface Slot {
  second: number;
  requests: number;
  errors: number;
  buckets: number[];
}

export interface WindowAnswer {
  namespace: string | null;
  service: string;
  since: number;
  now: number;
  requests: number;
  /** Responses with a 5xx code. */
  errors: number;
  /** Cumulative duration buckets; `le` in milliseconds (as istio_request_duration_milliseconds). */
  unit: 'ms';
  buckets: Array<{ le: number | '+Inf'; count: number }>;
}

/** Per-service counts in 1-second slots for the last 30 minutes, so "since <t>" can be answered without Prometheus. */
export class WindowStats {
  private readonly rings = new Map<string, Slot[]>();

  record(namespace: string, service: string, code: number, durationMs: number, nowMs = Date.now()): void {
    const key = `${namespace}/${service}`;
    let ring = this.rings.get(key);
    if (!ring) {
      ring = [];
      this.rings.set(key, ring);
    }
    const second = Math.floor(nowMs / 1000);
    const idx = second % WINDOW_SECONDS;
    let slot = ring[idx];
    if (!slot || slot.second !== second) {
      slot = { second, requests: 0, errors: 0, buckets: new Array(DURATION_BUCKETS_MS.length + 1).fill(0) };
      ring[idx] = slot;
    }
    slot.requests++;
    if (code >= 500) slot.errors++;
    const b = bucketIndex(durationMs);
    slot.buckets[b] = (slot.buckets[b] ?? 0) + 1;
  }

  /**
   * Totals from `since` to `until` (unix seconds, both inclusive; defaults: the whole 30 minutes, up to now).
   * Namespace null = any.
   */
  query(
    namespace: string | null,
    service: string,
    since?: number,
    nowMs = Date.now(),
    until?: number,
  ): WindowAnswer {
    const now = nowMs / 1000;
    const from = Math.max(Math.floor(since ?? 0), Math.floor(now) - WINDOW_SECONDS + 1);
    let requests = 0;
    let errors = 0;
    const per = new Array(DURATION_BUCKETS_MS.length + 1).fill(0);
    for (const [key, ring] of this.rings) {
      const [ns, svc] = key.split('/');
      if (svc !== service || (namespace !== null && ns !== namespace)) continue;
      for (const slot of ring) {
        if (!slot || slot.second < from || (until !== undefined && slot.second > Math.floor(until))) continue;
        requests += slot.requests;
        errors += slot.errors;
        slot.buckets.forEach((c, i) => {
          per[i] += c;
        });
      }
    }
    let cum = 0;
    const buckets = [...DURATION_BUCKETS_MS, '+Inf' as const].map((le, i) => {
      cum += per[i];
      return { le, count: cum };
    });
    return { namespace, service, since: since ?? from, now, requests, errors, unit: 'ms', buckets };
  }
}
