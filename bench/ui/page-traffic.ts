import { type LabProcess, sleep, waitFor } from '@control-center/lab/testing';
import type { RolloutTraffic } from '../../lib/rollout/traffic-chart';
import { runLoad } from '../../loadgen/src/index';
import { log } from './stack';

/** The demo app's host, as its VirtualService (manifests/app) routes it. */
const HOST = 'webapp.local';

export interface TrafficShown {
  rps: number;
  /** Chart points per version the rollout page had when its windows began and when they ended. */
  pointsAtStart: number;
  pointsAtEnd: number;
  /** How many points a page open for the whole chart range (15 min) draws per version. */
  pointsFullRange: number;
}

export interface PageTraffic {
  shown: TrafficShown;
  stop: () => Promise<void>;
  /** Reads the points again (call when the windows end). */
  readEnd: () => Promise<void>;
}

async function points(url: string, cookie: string): Promise<{ n: number; full: number }> {
  const res = await fetch(`${url}/api/v1/rollouts/demo/webapp/traffic?minutes=15`, {
    headers: { cookie },
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`GET traffic: ${res.status} ${await res.text()}`);
  const t = (await res.json()) as RolloutTraffic;
  const w = t.window;
  return {
    n: Math.max(0, ...t.versions.map((v) => v.points.filter((p) => p.rps > 0).length)),
    full: Math.round((w.until - w.since) / w.stepSeconds),
  };
}

/**
 * Users' traffic through the lab's gateway while the rollout page is measured, as a page open during a release sees
 * it: its charts, traffic panel and topology redraw with every 10 s read. Open loop at `rps` (loadgen), bounded by
 * `maxMs`; returns once the traffic answer has `minPoints` points with requests, so the charts draw lines, and
 * `warmMs` after the start (a page open through a release draws its whole range).
 */
export async function startPageTraffic(
  lab: LabProcess,
  url: string,
  cookie: string,
  opts: { rps: number; maxMs: number; minPoints: number; warmMs?: number },
): Promise<PageTraffic> {
  const started = Date.now();
  const abort = new AbortController();
  const done = runLoad(
    { url: `${lab.gatewayUrl}/api/work`, rps: opts.rps, durationMs: opts.maxMs, headers: { host: HOST } },
    { signal: abort.signal },
  );
  const stop = async () => {
    abort.abort();
    await done.catch(() => undefined);
  };
  try {
    const start = await waitFor(
      `${opts.minPoints} chart points with traffic`,
      async () => {
        const p = await points(url, cookie);
        return p.n >= opts.minPoints ? p : undefined;
      },
      3 * 60_000,
      2000,
    );
    const warmLeft = started + (opts.warmMs ?? 0) - Date.now();
    if (warmLeft > 0) {
      log(`users' traffic for ${Math.round(warmLeft / 60_000)} min more: the charts fill their range`);
      await sleep(warmLeft);
    }
    const warm = warmLeft > 0 ? await points(url, cookie) : start;
    const shown = { rps: opts.rps, pointsAtStart: warm.n, pointsAtEnd: warm.n, pointsFullRange: warm.full };
    return {
      shown,
      stop,
      readEnd: async () => {
        shown.pointsAtEnd = (await points(url, cookie)).n;
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
