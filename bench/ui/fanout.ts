import { type LabProcess, PATHS, patch } from '@control-center/lab/testing';
import { sseReader } from '../../server/stream/testing/sse-reader';
import { settled } from './latency';
import { log } from './stack';
import { summary } from './stats';

export interface FanoutRun {
  streams: number;
  changes: number;
  samples: number;
  missed: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Bytes each stream received per change (the stream's events of the change, after the snapshot), mean. */
  bytesPerChangePerStream: number;
}

/** The response with its body counted as it is read (`bytes()` so far). */
function counted(res: Response): { res: Response; bytes: () => number } {
  let n = 0;
  const body = res.body?.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctl) {
        n += chunk.byteLength;
        ctl.enqueue(chunk);
      },
    }),
  );
  return { res: new Response(body, { status: res.status, headers: res.headers }), bytes: () => n };
}

/**
 * The server's share of "change → page": `n` live streams of the rollout page (`/api/v1/stream?namespace=&rollout=`,
 * real HTTP with a viewer's session, read by plain SSE readers instead of browsers), and the time from just before
 * each pause/resume PATCH until every stream has received the rollout event that shows it. Tells the server's fan-out
 * apart from the browsers' rendering, which the page measurement includes.
 */
export async function streamFanout(
  lab: LabProcess,
  url: string,
  cookie: string,
  n: number,
  changes: number,
): Promise<FanoutRun> {
  const ctl = new AbortController();
  try {
    const readers = await Promise.all(
      Array.from({ length: n }, async () => {
        const res = await fetch(`${url}/api/v1/stream?namespace=demo&rollout=webapp`, {
          headers: { cookie },
          signal: ctl.signal,
        });
        if (!res.ok) throw new Error(`stream: HTTP ${res.status} ${await res.text()}`);
        const c = counted(res);
        const r = sseReader(c.res);
        await r.until((m) => m.event === 'snapshot' && m.data?.type === 'END', 60_000);
        return { r, bytes: c.bytes };
      }),
    );
    const bytesBefore = readers.reduce((s, x) => s + x.bytes(), 0);
    const samples: number[] = [];
    let missed = 0;
    for (let i = 0; i < changes; i++) {
      const paused = i % 2 === 0;
      const t0 = performance.now();
      await patch(lab, PATHS.rollout, { spec: { paused } });
      const seen = await Promise.all(
        readers.map(({ r }) =>
          r
            .until((m) => m.event === 'rollout' && Boolean(m.data?.object?.spec?.paused) === paused, 15_000)
            .then(() => performance.now() - t0)
            .catch(() => null),
        ),
      );
      for (const s of seen) {
        if (s === null) missed++;
        else samples.push(s);
      }
      await settled(lab, paused);
      // Each stream reads on to the controller's status write of the change, so its bytes count in this change.
      const phase = paused ? 'Paused' : 'Healthy';
      await Promise.all(
        readers.map(({ r }) =>
          r
            .until((m) => m.event === 'rollout' && m.data?.object?.status?.phase === phase, 15_000)
            .catch(() => null),
        ),
      );
    }
    const bytesPerChangePerStream =
      (readers.reduce((s, x) => s + x.bytes(), 0) - bytesBefore) / Math.max(1, changes * n);
    const s = summary(samples);
    log(
      `${n} streams: ${changes} changes, p50 ${s.p50Ms.toFixed(0)} ms, p95 ${s.p95Ms.toFixed(0)} ms, missed ${missed}`,
    );
    return { streams: n, changes, samples: samples.length, missed, ...s, bytesPerChangePerStream };
  } finally {
    ctl.abort();
  }
}
