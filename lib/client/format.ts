/** Display helpers (pure, so the same text renders on the server and in the browser and tests pin it down). */

const UNITS: Array<[limit: number, div: number, unit: string]> = [
  [60, 1, 's'],
  [3600, 60, 'm'],
  [86_400, 3600, 'h'],
  [Number.POSITIVE_INFINITY, 86_400, 'd'],
];

/** "12s", "4m", "3h", "2d" (floored, never negative). */
export function shortDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  for (const [limit, div, unit] of UNITS) if (s < limit) return `${Math.floor(s / div)}${unit}`;
  return `${s}s`;
}

/**
 * "4m ago" (or "in 2m" for the future, "just now" within the last 10 s); "—" when the time is unknown or
 * unparseable. Under a minute ago it counts in steps of 10 s ("20s ago"): a list of fresh entries then moves every
 * 10 s, not every second, and the exact time is on hover. The future counts in seconds (a countdown).
 */
export function relativeTime(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '—';
  const diff = (now - t) / 1000;
  if (diff > -5 && diff < 10) return 'just now';
  if (diff < 0) return `in ${shortDuration(-diff)}`;
  return diff < 60 ? `${Math.floor(diff / 10) * 10}s ago` : `${shortDuration(diff)} ago`;
}

/** The exact time for a tooltip: ISO-like in UTC so it reads the same on the server and in every browser. */
export function exactTime(iso: string | null | undefined): string {
  if (!iso) return 'unknown time';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return 'unknown time';
  return `${new Date(t)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '')} UTC`;
}

/** "1m 05s" / "45s" for elapsed seconds. */
export function clockDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return `${m}m ${String(s % 60).padStart(2, '0')}s`;
}

/** The tag of an image ("registry/team/webapp:v1.1" → "webapp:v1.1"), for narrow columns. */
export function shortImage(image: string | null | undefined): string {
  if (!image) return '—';
  const noDigest = image.split('@')[0] ?? image;
  return noDigest.slice(noDigest.lastIndexOf('/') + 1) || image;
}

const trimZeros = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);

/** A ratio as a percentage with enough digits to tell 99.9 % from 99.95 %. */
export function percent(ratio: number | null | undefined, digits = 2): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${trimZeros((ratio * 100).toFixed(digits))} %`;
}

/** An SLO number in its unit: ratio → %, ms → ms, rate-ratio → ×. */
export function sloValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (unit === 'ratio') return percent(value);
  if (unit === 'ms') return `${Math.round(value)} ms`;
  return `${trimZeros(value.toFixed(2))}×`;
}

/** The human name of an SLO of the judge. */
export function sloName(name: string): string {
  switch (name) {
    case 'success-rate':
      return 'Success rate';
    case 'error-rate':
      return 'Error rate';
    case 'latency-p95':
      return 'P95 latency';
    case 'canary-vs-stable':
      return 'Canary vs stable errors';
    default:
      return name;
  }
}

/** The comparison an SLO's threshold means ("≥ 99 %", "≤ 300 ms", "< 1 %"). */
export function sloThreshold(name: string, threshold: number, unit: string): string {
  const op = name === 'success-rate' ? '≥' : '≤';
  return `${op} ${sloValue(threshold, unit)}`;
}

/** The version tag of an image (`repo/webapp:v1.1@sha256:…` → `v1.1`), as the demo app keys its faults. */
export function versionTag(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(colon + 1) : 'latest';
}
