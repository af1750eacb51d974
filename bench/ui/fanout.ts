import { type LabProcess, PATHS, patch } from '@control-center/lab/testing';
import { applyPagePatch, type RolloutPage, type RolloutPageMessage } from '../../lib/rollout/rollout-page';
import { settled } from './latency';
import { log } from './stack';
import { summary } from './stats';
import { type Arrived, StreamClient } from './stream-client';

/** `view`: the rollout page's stream as the page reads it (server-projected page deltas); `raw`: the objects. */
export type StreamShape = 'view' | 'raw';

export interface FanoutRun {
  shape: StreamShape;
  streams: number;
  changes: number;
  samples: number;
  missed: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Per change, from the first stream to the last stream showing it: the fan-out's own share. */
  spreadP50Ms: number;
  spreadP95Ms: number;
  /** Bytes each stream received per change (the stream's events of the change, after the snapshot), mean. */
  bytesPerChangePerStream: number;
}

const OPEN_BATCH = 100;
const SHOW_TIMEOUT_MS = 15_000;

/** One stream and what it shows: for `view` the page folded from its SNAPSHOT and DELTAs, for `raw` the rollout. */
interface Reader {
  client: StreamClient;
  page: RolloutPage | null;
}

/** Folds a `page` message into the reader's page; false when it is not one that changes it. */
function fold(r: Reader, m: Arrived): boolean {
  if (m.event !== 'page') return false;
  const msg = m.data as RolloutPageMessage;
  if (msg.type === 'SNAPSHOT') r.page = msg.page;
  else if (msg.type === 'DELTA' && r.page) r.page = applyPagePatch(r.page, msg.patch);
  else return false;
  return true;
}

/** Folds a message into what the reader shows; true when it shows the rollout with `paused` (and `phase`, if given). */
function shows(shape: StreamShape, r: Reader, m: Arrived, paused: boolean, phase?: string): boolean {
  if (shape === 'raw') {
    if (m.event !== 'rollout') return false;
    const o = m.data?.object;
    return Boolean(o?.spec?.paused) === paused && (phase === undefined || o?.status?.phase === phase);
  }
  if (!fold(r, m)) return false;
  const v = r.page?.view;
  return Boolean(v) && v?.paused === paused && (phase === undefined || v?.phase === phase);
}

async function openReaders(url: string, cookie: string, shape: StreamShape, n: number): Promise<Reader[]> {
  const path = `/api/v1/stream?namespace=demo&rollout=webapp${shape === 'view' ? '&shape=view' : ''}`;
  const readers: Reader[] = [];
  try {
    for (let i = 0; i < n; i += OPEN_BATCH) {
      await Promise.all(
        Array.from({ length: Math.min(OPEN_BATCH, n - i) }, async () => {
          const r: Reader = { client: await StreamClient.open(`${url}${path}`, { cookie }), page: null };
          readers.push(r);
          await r.client.until(
            (m) => (shape === 'view' ? fold(r, m) : m.event === 'snapshot' && m.data?.type === 'END'),
            60_000,
          );
        }),
      );
    }
    return readers;
  } catch (err) {
    for (const r of readers) r.client.close();
    throw err;
  }
}

/**
 * The server's share of "change → page": `n` live streams of the rollout page (`/api/v1/stream?namespace=&rollout=`,
 * with `&shape=view` as the page reads it; real HTTP with a viewer's session, read by lean SSE readers instead of
 * browsers), and the time from just before each pause/resume PATCH until every stream has received the message that
 * shows it (view: the page delta whose folded page shows the new `paused`; raw: the rollout event with the new
 * spec.paused). Tells the server's fan-out apart from the browsers' rendering, which the page measurement includes.
 */
export async function streamFanout(
  lab: LabProcess,
  url: string,
  cookie: string,
  n: number,
  changes: number,
  shape: StreamShape = 'view',
): Promise<FanoutRun> {
  const readers = await openReaders(url, cookie, shape, n);
  try {
    const bytes = () => readers.reduce((s, r) => s + r.client.bytes, 0);
    const bytesBefore = bytes();
    const samples: number[] = [];
    const spreads: number[] = [];
    let missed = 0;
    for (let i = 0; i < changes; i++) {
      const paused = i % 2 === 0;
      const t0 = performance.now();
      await patch(lab, PATHS.rollout, { spec: { paused } });
      const seen = await Promise.all(
        readers.map((r) =>
          r.client
            .until((m) => shows(shape, r, m, paused), SHOW_TIMEOUT_MS)
            .then((m) => m.at - t0)
            .catch(() => null),
        ),
      );
      const got = seen.filter((s): s is number => s !== null);
      missed += seen.length - got.length;
      samples.push(...got);
      if (got.length) spreads.push(Math.max(...got) - Math.min(...got));
      await settled(lab, paused);
      // Each stream reads on to the controller's status write of the change, so its bytes count in this change.
      const phase = paused ? 'Paused' : 'Healthy';
      await Promise.all(
        readers.map((r) =>
          r.client.until((m) => shows(shape, r, m, paused, phase), SHOW_TIMEOUT_MS).catch(() => null),
        ),
      );
    }
    const bytesPerChangePerStream = (bytes() - bytesBefore) / Math.max(1, changes * n);
    const s = summary(samples);
    const spread = summary(spreads);
    log(
      `${n} ${shape} streams: ${changes} changes, p50 ${s.p50Ms.toFixed(0)} ms, p95 ${s.p95Ms.toFixed(0)} ms ` +
        `(first to last stream p95 ${spread.p95Ms.toFixed(0)} ms), missed ${missed}, ` +
        `${bytesPerChangePerStream.toFixed(0)} B/change/stream`,
    );
    return {
      shape,
      streams: n,
      changes,
      samples: samples.length,
      missed,
      ...s,
      spreadP50Ms: spread.p50Ms,
      spreadP95Ms: spread.p95Ms,
      bytesPerChangePerStream,
    };
  } finally {
    for (const r of readers) r.client.close();
  }
}
