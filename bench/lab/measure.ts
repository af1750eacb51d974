import { type Agent, request } from 'node:https';
import { type LabProcess, WatchStream } from '@control-center/lab/testing';
import { runLoad } from '../../loadgen/src/index';

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

export interface LatencyRound {
  p50: number;
  p99: number;
  requests: number;
  failed: number;
}

/** One open-loop run at `rps` for `ms` against `url`; latency percentiles from the project's load generator. */
export async function latencyRound(
  url: string,
  rps: number,
  ms: number,
  host?: string,
): Promise<LatencyRound> {
  const s = await runLoad({ url, rps, durationMs: ms, headers: host ? { host } : undefined });
  return {
    p50: s.latencyMs?.p50 ?? Number.NaN,
    p99: s.latencyMs?.p99 ?? Number.NaN,
    requests: s.total,
    failed: s.failed,
  };
}

/** GET over HTTPS with the token on a kept-alive connection; resolves with the time to the last byte (ms). */
export function timedGet(
  lab: LabProcess,
  agent: Agent,
  urlPath: string,
): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      `${lab.apiUrl}${urlPath}`,
      { agent, ca: lab.caPem, headers: { Authorization: `Bearer ${lab.token}`, Accept: 'application/json' } },
      (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
        });
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`GET ${urlPath}: ${res.statusCode}`));
          else resolve({ ms: performance.now() - t0, bytes });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Creates `n` ConfigMaps in `ns` with `concurrency` parallel requests. */
export async function createConfigMaps(
  lab: LabProcess,
  ns: string,
  n: number,
  concurrency = 16,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const r = await lab.api('POST', `/api/v1/namespaces/${ns}/configmaps`, {
        body: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `cm-${i}`, labels: { bench: 'lab' } },
          data: { index: String(i), text: 'x'.repeat(200) },
        },
      });
      if (r.status !== 201) throw new Error(`create cm-${i}: ${r.status} ${r.text}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Opens a watch, then `n` times: patch one ConfigMap and time until its MODIFIED event arrives (ms). */
export async function watchLatencies(
  lab: LabProcess,
  ns: string,
  name: string,
  n: number,
): Promise<number[]> {
  const cmPath = `/api/v1/namespaces/${ns}/configmaps`;
  const list = await lab.api('GET', `${cmPath}?limit=1`);
  const rv = (list.json as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  const w = new WatchStream(lab, `${cmPath}?resourceVersion=${rv}`);
  const out: number[] = [];
  try {
    if ((await w.opened) !== 200) throw new Error('watch not opened');
    for (let i = 0; i < n; i++) {
      const value = `v${i}`;
      const t0 = performance.now();
      const seen = w.next((e) => e.type === 'MODIFIED' && e.object.data?.value === value, 5000);
      const r = await lab.api('PATCH', `${cmPath}/${name}`, {
        body: { data: { value } },
        contentType: 'application/merge-patch+json',
      });
      if (r.status !== 200) throw new Error(`patch: ${r.status}`);
      const ev = await seen;
      out.push(ev.hr - t0);
      await new Promise((r2) => setTimeout(r2, 20));
    }
  } finally {
    w.close();
  }
  return out;
}
