/** Test helper: sums `istio_requests_total` series from the gateway's Prometheus text by label filter. */
export function sumRequests(text: string, filter: Record<string, string | RegExp> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('istio_requests_total{')) continue;
    const labels = Object.fromEntries(
      [...line.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']),
    );
    const ok = Object.entries(filter).every(([k, v]) =>
      typeof v === 'string' ? labels[k] === v : v.test(labels[k] ?? ''),
    );
    if (ok) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
