/** `hey` (Debian package) at the same rates, as the baseline measured in the same run. */
import { execFile } from 'node:child_process';
import { r2 } from './util';

export const HEY = '/usr/bin/hey';

export interface HeyRun {
  achievedRps: number;
  p50Ms: number | null;
  p99Ms: number | null;
  workers: number;
  qpsPerWorker: number;
}

/** hey rate-limits per worker (-q is QPS per worker), so split the rate over rate/10 workers. */
export function runHey(url: string, rps: number, durationMs: number): Promise<HeyRun> {
  const workers = Math.max(1, Math.round(rps / 10));
  const q = rps / workers;
  const args = [
    '-z',
    `${Math.round(durationMs / 1000)}s`,
    '-c',
    String(workers),
    '-q',
    String(q),
    '-t',
    '5',
    url,
  ];
  return new Promise((resolve, reject) => {
    execFile(HEY, args, { timeout: durationMs + 30_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) {
        reject(new Error(`hey failed: ${err.message}`));
        return;
      }
      const rate = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
      if (!rate) {
        reject(new Error(`could not read hey's output:\n${stdout.slice(0, 2000)}`));
        return;
      }
      const pct = (p: number): number | null => {
        const m = new RegExp(`\\b${p}% in ([\\d.]+) secs`).exec(stdout);
        return m ? r2(Number(m[1]) * 1000) : null;
      };
      resolve({ achievedRps: Number(rate[1]), p50Ms: pct(50), p99Ms: pct(99), workers, qpsPerWorker: q });
    });
  });
}
