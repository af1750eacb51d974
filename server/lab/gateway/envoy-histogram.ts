/**
 * How Envoy (the proxy of Istio 1.27.3, manifests/versions.env) keeps and prints a histogram such as
 * istio_request_duration_milliseconds, reproduced exactly so the lab is never kinder than production (DESIGN.md §8).
 *
 * Sources, read at the pinned versions:
 * - istio/proxy@1.27.3 source/extensions/filters/http/istio_stats/istio_stats.cc: the duration is recorded as
 *   `absl::FromChrono(duration) / absl::Milliseconds(1)`, an integer (truncated) number of milliseconds, into the
 *   histogram `istiocustom.istio_request_duration_milliseconds` (the `istiocustom` namespace is stripped on output).
 *   The proxy is built from envoyproxy/envoy@b864c2bb929a2fda3e50bf114de6f99ddb5b9fc7 (istio/proxy@1.27.3 WORKSPACE,
 *   commit date 2025-10-17; Istio 1.27 ships Envoy 1.35).
 * - envoy source/common/stats/histogram_impl.cc `HistogramSettingsImpl::defaultBuckets()`: the default buckets
 *   {0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000}
 *   (also documented in api/envoy/config/metrics/v3/stats.proto and istio/api annotation/annotations.yaml
 *   `sidecar.istio.io/statsHistogramBuckets`). There is no 300 ms bucket.
 * - envoy source/common/stats/thread_local_store.cc `ThreadLocalHistogramImpl::recordValue`: `hist_insert_intscale(h,
 *   value, 0, 1)`, i.e. a libcircllhist log-linear histogram (two significant digits per bin);
 *   `HistogramStatisticsImpl::refresh` then gives each bucket `hist_approx_count_below(h, le)`: the samples of the bins
 *   whose upper edge is <= le, and the sum `hist_approx_sum` (bin midpoints). So a 300 ms request lies in bin
 *   [300, 310) and does not count in le="300"; le is effectively "strictly below" (envoyproxy/envoy#20087), le="0.5"
 *   and le="1" both count only the 0 ms bin, and a custom bound that is not a bin edge (e.g. 255) counts only up to the
 *   bin edge below it (250).
 * - envoy source/server/admin/prometheus_stats.cc: `le="{:.32g}"` for each bucket, `le="+Inf"` = sample count,
 *   `_sum {:.32g}`, `_count` = sample count.
 * Not modelled: Envoy updates the printed histogram at each stats flush (5 s), while counters are live.
 */

/** Envoy's default histogram buckets (the bounds Istio's istio_* histograms use without the annotation). */
export const ENVOY_DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
]);

/** libcircllhist's power_of_ten table holds C literals (1e+06 ...): `Number('1eN')` is the same double. */
const POW10: number[] = Array.from({ length: 128 }, (_, i) => Number(`1e${i}`));

/**
 * The circllhist bin of a recorded value (`int_scale_to_hist_bucket(value, 0)`), as a key that sorts like the bins:
 * 0 for the zero bin, else exp * 100 + val + 1 with val in 10..99 (the bin is [val/10 * 10^exp, +10^exp/10)).
 */
function binKey(value: number): number {
  if (value <= 0) return 0;
  let v = value;
  let scale = 1;
  if (v < 10) {
    v *= 10;
    scale -= 1;
  }
  while (v >= 100) {
    v = Math.floor(v / 10);
    scale++;
  }
  return scale * 100 + v + 1;
}

/** `hist_bucket_to_double` and `hist_bucket_to_double_bin_width` of a bin, with the same double arithmetic. */
function binEdges(key: number): { lower: number; width: number } {
  if (key === 0) return { lower: 0, width: 0 };
  const exp = Math.floor((key - 1) / 100);
  const val = key - 1 - exp * 100;
  const p = POW10[exp] ?? Number.POSITIVE_INFINITY;
  return { lower: (val / 10) * p, width: p / 10 };
}

/** The value Envoy records for a request that took `durationMs` (integer milliseconds, truncated). */
export function recordedValue(durationMs: number): number {
  return durationMs > 0 ? Math.trunc(durationMs) : 0;
}

/** The upper edge of the bin a request of `durationMs` lands in: it counts in every bucket `le >= this`. */
export function binUpper(durationMs: number): number {
  const { lower, width } = binEdges(binKey(recordedValue(durationMs)));
  return lower + width;
}

/** Index of the first bucket (of ascending `bounds`) that counts a request of `durationMs`; bounds.length = +Inf only. */
export function envoyBucketIndex(bounds: readonly number[], durationMs: number): number {
  const upper = binUpper(durationMs);
  for (let i = 0; i < bounds.length; i++) if (upper <= (bounds[i] as number)) return i;
  return bounds.length;
}

/** C's / fmt's `%.32g`: 32 significant digits, trailing zeros dropped, exponent form below 1e-4 or from 1e32. */
export function formatG32(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const [mant = '0', expText = '0'] = Math.abs(x).toExponential(31).split('e');
  const exp = Number(expText);
  const digits = mant.replace('.', '');
  const trim = (intPart: string, frac: string) => {
    const f = frac.replace(/0+$/, '');
    return f ? `${intPart}.${f}` : intPart;
  };
  if (exp < -4 || exp >= 32) {
    const e = Math.abs(exp);
    return `${sign}${trim(digits.slice(0, 1), digits.slice(1))}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  if (exp >= 0) return `${sign}${trim(digits.slice(0, exp + 1), digits.slice(exp + 1))}`;
  return `${sign}${trim('0', '0'.repeat(-exp - 1) + digits)}`;
}

/** One Envoy histogram: circllhist bins with their counts. */
export class EnvoyHistogram {
  private readonly bins = new Map<number, number>();
  count = 0;

  record(durationMs: number): void {
    const key = binKey(recordedValue(durationMs));
    this.bins.set(key, (this.bins.get(key) ?? 0) + 1);
    this.count++;
  }

  /** `hist_approx_count_below(le)` for each of the ascending `bounds`, and `hist_approx_sum`. */
  statistics(bounds: readonly number[]): { cumulative: number[]; sum: number } {
    const sorted = [...this.bins.entries()].sort((a, b) => a[0] - b[0]);
    const edges = sorted.map(([key, count]) => ({ ...binEdges(key), count }));
    const cumulative = bounds.map((le) => {
      let running = 0;
      for (const b of edges) {
        if (b.lower + b.width <= le) running += b.count;
        else break;
      }
      return running;
    });
    let sum = 0;
    for (const b of edges) sum += (b.width === 0 ? 0 : b.lower + b.width / 2) * b.count;
    return { cumulative, sum };
  }
}
