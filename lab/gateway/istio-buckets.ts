/**
 * The pod annotation `sidecar.istio.io/statsHistogramBuckets`, read as Istio 1.30.3 and its Envoy read it.
 *
 * Sources, read at the pinned versions (manifests/versions.env: Istio 1.30.3):
 * - istio/istio@1.30.3 pkg/bootstrap/config.go `getStatsOptions` (lines 294-308): pilot-agent reads the pod's
 *   annotations (downward API) when it writes the proxy's bootstrap, once, at proxy start. The value is
 *   `json.Unmarshal`ed into `map[string][]float64`; on an error it logs `Failed to unmarshal histogram buckets
 *   <value>: <err>` (warning) and uses no bucket settings at all (Envoy's defaults). Otherwise every key becomes a
 *   `histogram_bucket_settings` entry `{match: {prefix: key}, buckets: value}` (pkg/bootstrap/option/instances.go
 *   `HistogramBucket`: no `bins`), sorted by key (Go string order), put into the bootstrap's `stats_config`
 *   (tools/packaging/common/envoy_bootstrap.json line 156, `{{- if .histogram_buckets }}`). Istio itself validates
 *   nothing else. (istio/api's new `sidecar.istio.io/statsHistogramBins` is read by nothing in istio 1.30.3.)
 * - istio/api annotation/annotations.yaml (istio.io/api v1.30.3-0.20260710004328-2e43f07b30b6, pinned by istio
 *   1.30.3's go.mod): the format, e.g. `{"istiocustom":[1,5,10,50,100,500,1000,5000,10000],"cluster.xds-grpc":[...]}`;
 *   the istio_* standard metrics live under the stat prefix `istiocustom` (istio/proxy@1.30.3
 *   source/extensions/filters/http/istio_stats/istio_stats.cc line 71 `CustomStatNamespace`).
 * - Envoy (envoyproxy/envoy@4f1e006e…, pinned by istio/proxy@1.30.3 WORKSPACE) checks the bootstrap against its
 *   proto rules before starting (envoy/config/metrics/v3/stats.proto `HistogramBucketSettings`, as generated in
 *   envoyproxy/go-control-plane@98966259b99a envoy/config/metrics/v3/stats.pb.validate.go, the API version istio
 *   1.30.3 pins): `match.prefix` at least 1 character; each bucket unique and > 0. A violation makes Envoy refuse
 *   the bootstrap: the istio-proxy container exits and the pod crash-loops (never Ready). Since envoyproxy/envoy#40991
 *   (which added `bins`) `buckets` may be EMPTY (Istio 1.27's Envoy required at least 1 item): an empty list or null
 *   sets no buckets, the histogram keeps the defaults (the lab assumes a later matching key with buckets would still
 *   win; the Envoy tree at the pin could not be read to confirm that corner). A key matching no stat is valid and
 *   changes nothing.
 * - envoy source/common/stats/histogram_impl.cc `HistogramSettingsImpl`: a histogram takes the buckets of the FIRST
 *   entry whose prefix matches its full stat name (thread_local_store.cc matches the name with its tags appended:
 *   `istiocustom.istio_request_duration_milliseconds.reporter.source.…`), else the defaults. So
 *   `{"istio": A, "istiocustom": B}` gives A ("istio" sorts first and is a prefix too). Each entry's buckets are
 *   sorted (`std::sort` in the envoy main-branch histogram_impl.cc read for Istio 1.27; not re-read at 4f1e006e: the
 *   lab sorts, and the manifests give them sorted anyway).
 */
import { ENVOY_DEFAULT_BUCKETS } from './envoy-histogram';

export const STATS_HISTOGRAM_BUCKETS_ANNOTATION = 'sidecar.istio.io/statsHistogramBuckets';

/** The stat name of the duration histogram inside Envoy (Prometheus shows it without the `istiocustom.` namespace). */
export const DURATION_STAT_NAME = 'istiocustom.istio_request_duration_milliseconds';

/**
 * What the prefixes are matched against: the stat name and the first tag the gateway's istio_stats filter adds
 * (`reporter`, `source` for a gateway). The tags after it vary per series; the lab does not match keys reaching them.
 */
const MATCHED_NAME = `${DURATION_STAT_NAME}.reporter.source`;

export type DurationBuckets =
  | {
      /** Envoy starts with these buckets for istio_request_duration_milliseconds (ascending). */
      ok: true;
      buckets: readonly number[];
      /** The annotation key that chose them; undefined = Envoy's defaults. */
      prefix?: string;
      /** What pilot-agent logs (the unmarshal warning) and what the lab adds (a key matching nothing). */
      warnings: string[];
    }
  | {
      /** Envoy refuses the bootstrap: a proxy with this annotation never starts. */
      ok: false;
      error: string;
      warnings: string[];
    };

type Parsed = { entries: Array<[string, number[]]> } | { error: string };

/** `json.Unmarshal([]byte(value), &map[string][]float64{})`, with the cases where Go differs from JSON.parse. */
function unmarshal(value: string): Parsed {
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch (err) {
    return { error: (err as Error).message };
  }
  const typeError = (what: string, into: string) => ({
    error: `json: cannot unmarshal ${what} into Go value of type ${into}`,
  });
  const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  if (doc === null) return { entries: [] }; // null leaves the map empty: no error, no settings
  if (typeof doc !== 'object' || Array.isArray(doc)) return typeError(kind(doc), 'map[string][]float64');
  const entries: Array<[string, number[]]> = [];
  for (const [key, list] of Object.entries(doc as Record<string, unknown>)) {
    if (list === null) {
      entries.push([key, []]); // a nil slice
      continue;
    }
    if (!Array.isArray(list)) return typeError(kind(list), '[]float64');
    const nums: number[] = [];
    for (const x of list) {
      if (x === null)
        nums.push(0); // null into a float64 leaves its zero value
      else if (typeof x !== 'number') return typeError(kind(x), 'float64');
      else if (!Number.isFinite(x)) return typeError('number (out of range)', 'float64');
      else nums.push(x);
    }
    entries.push([key, nums]);
  }
  return { entries };
}

/** Go's `a < b` on strings: byte order of the UTF-8 encodings. */
function goLess(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Envoy's proto checks of one `histogram_bucket_settings` entry; undefined when it passes. */
function envoyViolation(prefix: string, buckets: number[]): string | undefined {
  if ([...prefix].length < 1) return 'match.prefix: value length must be at least 1 runes';
  const seen = new Set<number>();
  for (const [i, b] of buckets.entries()) {
    const k = b === 0 ? 0 : b; // -0 and 0 are one value
    if (seen.has(k)) return `buckets[${i}]: repeated value must contain unique items`;
    seen.add(k);
    if (!(b > 0)) return `buckets[${i}]: value must be greater than 0 (got ${b})`;
  }
  return undefined;
}

/** The buckets Envoy gives istio_request_duration_milliseconds for a pod with this annotation value (or none). */
export function durationBucketsFor(annotation: string | undefined): DurationBuckets {
  if (annotation === undefined) return { ok: true, buckets: ENVOY_DEFAULT_BUCKETS, warnings: [] };
  const parsed = unmarshal(annotation);
  if ('error' in parsed)
    return {
      ok: true,
      buckets: ENVOY_DEFAULT_BUCKETS,
      warnings: [
        `Failed to unmarshal histogram buckets ${annotation}: ${parsed.error} (pilot-agent's warning: the proxy starts with Envoy's default buckets)`,
      ],
    };
  const settings = parsed.entries.sort(([a], [b]) => goLess(a, b));
  for (const [i, [prefix, buckets]] of settings.entries()) {
    const bad = envoyViolation(prefix, buckets);
    if (bad)
      return {
        ok: false,
        error: `Envoy rejects the bootstrap: stats_config.histogram_bucket_settings[${i}] (key ${JSON.stringify(prefix)}) ${bad}`,
        warnings: [],
      };
  }
  const matching = settings.filter(([prefix]) => MATCHED_NAME.startsWith(prefix));
  const chosen = matching.find(([, buckets]) => buckets.length > 0);
  if (!chosen) {
    const warnings = matching.length
      ? [
          `${STATS_HISTOGRAM_BUCKETS_ANNOTATION}: ${matching.map(([k]) => JSON.stringify(k)).join(', ')} gives an empty bucket list (Envoy accepts it since #40991 and sets no buckets): istio_request_duration_milliseconds keeps Envoy's default buckets`,
        ]
      : settings.length
        ? [
            `${STATS_HISTOGRAM_BUCKETS_ANNOTATION}: no key (${settings.map(([k]) => JSON.stringify(k)).join(', ')}) is a prefix of ${DURATION_STAT_NAME}: istio_request_duration_milliseconds keeps Envoy's default buckets (use "istiocustom")`,
          ]
        : [];
    return { ok: true, buckets: ENVOY_DEFAULT_BUCKETS, warnings };
  }
  const [prefix, buckets] = chosen;
  return { ok: true, buckets: Object.freeze([...buckets].sort((a, b) => a - b)), prefix, warnings: [] };
}
