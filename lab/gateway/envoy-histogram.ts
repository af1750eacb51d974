/**
 * How Envoy (the proxy of Istio 1.30.3, manifests/versions.env) keeps and prints a histogram such as
 * istio_request_duration_milliseconds, reproduced exactly so the lab is never kinder than production (DESIGN.md §8).
 *
 * Sources, read at the pinned versions:
 * - istio/proxy@1.30.3 (81864a1cd5099d2f9e1289bfc604f4b200b2b27c, the PROXY_REPO_SHA of istio/istio@1.30.3
 *   istio.deps) source/extensions/filters/http/istio_stats/istio_stats.cc lines 836-838: the duration is recorded as
 *   `absl::FromChrono(duration) / absl::Milliseconds(1)`, an integer (truncated) number of milliseconds, with
 *   `Stats::Histogram::Unit::Milliseconds`, into the histogram `istiocustom.istio_request_duration_milliseconds`
 *   (line 71 `CustomStatNamespace`; the namespace is stripped on output). The proxy is built from
 *   envoyproxy/envoy@4f1e006e2db1c4263924993bc1dae3ed9e3b886a (istio/proxy@1.30.3 WORKSPACE `ENVOY_SHA`, commit
 *   date 2026-06-30).
 * - envoy source/common/stats/histogram_impl.cc `HistogramSettingsImpl::defaultBuckets()`: the default buckets
 *   {0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000}
 *   (the same list in istio/api@2e43f07b30b6 annotation/annotations.yaml `sidecar.istio.io/statsHistogramBuckets`,
 *   the istio.io/api istio 1.30.3's go.mod pins). There is no 300 ms bucket.
 * - envoy `ThreadLocalHistogramImpl::recordValue`: `hist_insert_intscale(h, value, 0, 1)`, i.e. a libcircllhist
 *   log-linear histogram (two significant digits per bin); `HistogramStatisticsImpl::refresh` gives each bucket
 *   `hist_approx_count_below(h, le)` and the sum `hist_approx_sum(h)`.
 * - libcircllhist: Envoy moved from commit 39f9db724a81 (2019, what Istio 1.27's Envoy 1.35 built) to the tag
 *   py-0.3.2 (openhistogram/libcircllhist ea660e2, bazel/repository_locations.bzl `libcircllhist`, envoyproxy/envoy
 *   #43041, merged 2026-01-16: "libcircllhist has changed how bucket bounds are interpreted"). At py-0.3.2
 *   src/circllhist.c `hist_approx_count_below` counts every bin whose LOWER edge is <= le (it was: whose upper edge is
 *   <= le). So a 300 ms request lies in bin [300, 310) and counts in le="300", as does one of 309 ms; a 1 ms request
 *   counts in le="1"; and a bound that is not a bin edge (e.g. 255) counts the whole bin it lies in ([250, 260)).
 *   `hist_bucket_midpoint` (used by `hist_approx_sum`) is no longer the middle of the bin but
 *   `bottom + width * bottom / (bottom + top)`.
 * - envoy source/server/admin/prometheus_stats.cc: `le="{:.32g}"` for each bucket, `le="+Inf"` = sample count,
 *   `_sum {:.32g}`, `_count` = sample count.
 * The Envoy tree at 4f1e006e itself could not be read here (its snapshot exceeds the fetch limit); the libcircllhist
 * version is from envoy's repository_locations.bzl of spring 2026 and #43041, both before that commit.
 * Not modelled: Envoy updates the printed histogram at each stats flush (5 s, now set by the pod annotation
 * `sidecar.istio.io/statsFlushInterval`), while counters are live.
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

/** The lower edge of the bin a request of `durationMs` lands in: it counts in every bucket `le >= this`. */
export function binLower(durationMs: number): number {
  return binEdges(binKey(recordedValue(durationMs))).lower;
}

/** Index of the first bucket (of ascending `bounds`) that counts a request of `durationMs`; bounds.length = +Inf only. */
export function envoyBucketIndex(bounds: readonly number[], durationMs: number): number {
  const lower = binLower(durationMs);
  for (let i = 0; i < bounds.length; i++) if (lower <= (bounds[i] as number)) return i;
  return bounds.length;
}

/** libcircllhist py-0.3.2 `hist_bucket_midpoint`: the value `hist_approx_sum` takes for each sample of a bin. */
function binMidpoint(lower: number, width: number): number {
  if (width === 0) return 0; // the zero bin
  const top = lower + width;
  return lower + width * (lower / (lower + top));
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
        if (b.lower <= le) running += b.count;
        else break;
      }
      return running;
    });
    let sum = 0;
    for (const b of edges) sum += binMidpoint(b.lower, b.width) * b.count;
    return { cumulative, sum };
  }
}
