/** Argo/Go durations: a number of seconds, or a string such as "30s", "5m", "1h30m", "250ms" (undefined if invalid). */
export function durationMs(d: string | number | undefined): number | undefined {
  if (d === undefined) return undefined;
  if (typeof d === 'number') return Number.isFinite(d) && d >= 0 ? d * 1000 : undefined;
  const s = d.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * (unit[m[2] ?? 's'] ?? 0);
    consumed = re.lastIndex;
  }
  return consumed === s.length && s.length > 0 ? total : undefined;
}

/** A duration as written in the step, for labels: numbers become "<n>s". */
export function durationLabel(d: string | number): string {
  return typeof d === 'number' ? `${d}s` : d;
}
