import { ENVOY_DEFAULT_BUCKETS, envoyBucketIndex } from './envoy-histogram';

const WINDOW_SECONDS = 30 * 60;

/** Counts of one second under one bucket layout (the gateway's buckets can change while the lab runs). */
interface Part {
  bounds: readonly number[];
  /** Per bucket, non-cumulative; the last one is +Inf. */
  counts: number[];
}

interface Slot {
  second: number;
  requests: number;
  errors: number;
  parts: Part[];
}

export interface WindowAnswer {
  namespace: string | null;
  service: string;
  since: number;
  now: number;
  requests: number;
  /** Responses with a 5xx code. */
  errors: number;
  /**
   * Cumulative duration buckets; `le` in milliseconds, the same bounds and counting as the gateway's
   * istio_request_duration_milliseconds (a request counts in `le` as Envoy counts it). When the gateway's buckets
   * changed inside the window, only the bounds common to every layout in it.
   */
  unit: 'ms';
  buckets: Array<{ le: number | '+Inf'; count: number }>;
}

/** Per-service counts in 1-second slots for the last 30 minutes, so "since <t>" can be answered without Prometheus. */
export class WindowStats {
  private readonly rings = new Map<string, Slot[]>();
  private bounds: readonly number[];

  constructor(bounds: readonly number[] = ENVOY_DEFAULT_BUCKETS) {
    this.bounds = bounds;
  }

  /** The bucket bounds of the requests recorded from now on (those of the gateway's histogram). */
  setBuckets(bounds: readonly number[]): void {
    this.bounds = bounds;
  }

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
      slot = { second, requests: 0, errors: 0, parts: [] };
      ring[idx] = slot;
    }
    slot.requests++;
    if (code >= 500) slot.errors++;
    let part = slot.parts.find((p) => p.bounds === this.bounds);
    if (!part) {
      part = { bounds: this.bounds, counts: new Array(this.bounds.length + 1).fill(0) };
      slot.parts.push(part);
    }
    const b = envoyBucketIndex(this.bounds, durationMs);
    part.counts[b] = (part.counts[b] ?? 0) + 1;
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
    const parts: Part[] = [];
    for (const [key, ring] of this.rings) {
      const [ns, svc] = key.split('/');
      if (svc !== service || (namespace !== null && ns !== namespace)) continue;
      for (const slot of ring) {
        if (!slot || slot.second < from || (until !== undefined && slot.second > Math.floor(until))) continue;
        requests += slot.requests;
        errors += slot.errors;
        parts.push(...slot.parts);
      }
    }
    const layouts = [...new Set(parts.map((p) => p.bounds))];
    const common = (layouts[0] ?? this.bounds).filter((le) => layouts.every((l) => l.includes(le)));
    const buckets: WindowAnswer['buckets'] = common.map((le) => ({
      le,
      count: parts.reduce((sum, p) => {
        const last = p.bounds.indexOf(le);
        let c = 0;
        for (let i = 0; i <= last; i++) c += p.counts[i] ?? 0;
        return sum + c;
      }, 0),
    }));
    buckets.push({ le: '+Inf', count: requests });
    return { namespace, service, since: since ?? from, now, requests, errors, unit: 'ms', buckets };
  }
}
