import type { LabProcess } from '@control-center/lab/testing';
import { type FanoutRun, streamFanout } from './fanout';
import { log } from './stack';

/** Streams of the smaller runs, where the two shapes' bytes are compared. */
const FEW = 50;
export const FANOUT_GOAL_MS = 100;

export interface FanoutPart {
  /** 50 streams of the page's view deltas (what the page reads). */
  few: FanoutRun;
  /** 50 streams of the raw objects: today's bytes, beside the view's. */
  fewRaw: FanoutRun;
  /** `--streams` (500) streams of the view deltas: the issue's figure. */
  many: FanoutRun;
}

/** The fan-out part of the bench: 50 raw, 50 view and `many` view streams, each over `changes` pause/resume changes. */
export async function fanoutPart(
  lab: LabProcess,
  url: string,
  cookie: string,
  many: number,
  changes: number,
): Promise<FanoutPart> {
  const run = (n: number, shape: 'view' | 'raw') => {
    log(`opening ${n} live ${shape} streams without a browser (the server's fan-out)`);
    return streamFanout(lab, url, cookie, n, changes, shape);
  };
  const fewRaw = await run(FEW, 'raw');
  const few = await run(FEW, 'view');
  return { few, fewRaw, many: await run(many, 'view') };
}

export const fanoutPass = (f: FanoutRun): boolean =>
  f.streams >= 500 && f.missed === 0 && f.p95Ms <= FANOUT_GOAL_MS;

/** The part's fields in ui.json (`changeToBrowser`): the runs and the bytes per change per stream of both shapes. */
export function fanoutFields(f: FanoutPart) {
  return {
    /** The same changes to streams read without a browser: the server's part of the page latency. */
    serverFanout: f.few,
    serverFanoutRaw: f.fewRaw,
    serverFanoutMany: f.many,
    bytesPerChangePerStream: {
      streams: f.few.streams,
      view: f.few.bytesPerChangePerStream,
      raw: f.fewRaw.bytesPerChangePerStream,
    },
  };
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

/** "p50 / p95 (first to last stream p95), bytes per change per stream" of a run. */
export const fanoutCell = (f: FanoutRun): string =>
  `${ms(f.p50Ms)} / ${ms(f.p95Ms)} (spread ${ms(f.spreadP95Ms)}), ${f.bytesPerChangePerStream.toFixed(0)} B/change`;

/** Table rows of the part: measure, measured. */
export function fanoutRows(f: FanoutPart): Array<[string, string]> {
  return [f.fewRaw, f.few, f.many].map((r) => [
    `change -> ${r.streams} ${r.shape} streams, p50 / p95`,
    `${fanoutCell(r)}${r.missed ? `, missed ${r.missed}` : ''}`,
  ]);
}

export function printFanout(f: FanoutPart): void {
  const rows: Array<[string, string]> = [
    ['measure', 'measured'],
    ...fanoutRows(f),
    [
      `change -> ${f.many.streams} view streams, p95 (goal <= ${FANOUT_GOAL_MS} ms)`,
      `${ms(f.many.p95Ms)}: ${fanoutPass(f.many) ? 'met' : 'MISSED'}`,
    ],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [a, b] of rows) console.log(`${a.padEnd(w)}  ${b}`);
}
