import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FanoutRun } from './fanout';
import { type FanoutPart, fanoutRows } from './fanout-part';
import type { firstLoadJs } from './first-load-js';
import { type LatencyRun, ROLLOUT_PAGE } from './latency';
import { MAIN_THREAD_GOALS } from './main-thread-part';
import type { FloorOp } from './render-floor';

/** The figures (top level of ui.json) and their goals. */
export const GOALS = {
  ...MAIN_THREAD_GOALS,
  fanout500P95Ms: 100,
  overview10kFirstRowsMs: 1000,
  rss10kMb: 400,
  firstLoadJsKb: 180,
};
/** Goals of the earlier figures kept beside them. */
export const EARLIER_GOALS = { changeP95Ms: 1000, overviewMs: 1500, rssMb: 300 };

/** The operation of render-floor.ts that does what a pause shows on each page. */
export const PAUSE_FLOOR = { rolloutPage: 'rolloutPause', overview: 'pause' } as const;

/** `--only first-load`: the one figure, its goal and the scripts it sums. */
export function writeFirstLoad(
  js: Awaited<ReturnType<typeof firstLoadJs>>,
  build: string,
  out: string,
): number {
  const pass = js.gzipKb <= GOALS.firstLoadJsKb;
  console.log(
    `first-load JS of ${ROLLOUT_PAGE}: ${js.gzipKb.toFixed(1)} kB gzip (goal <= ${GOALS.firstLoadJsKb} kB): ${pass ? 'met' : 'MISSED'}`,
  );
  for (const f of js.files) console.log(`  ${(f.gzipBytes / 1000).toFixed(1).padStart(6)} kB  ${f.src}`);
  for (const f of js.noModule)
    console.log(
      `  ${(f.gzipBytes / 1000).toFixed(1).padStart(6)} kB  ${f.src} (nomodule: not fetched, not counted)`,
    );
  const result = { bench: 'ui', only: 'first-load', generatedAt: new Date().toISOString(), build };
  const figures = {
    firstLoadJsKb: js.gzipKb,
    goals: { firstLoadJsKb: GOALS.firstLoadJsKb },
    pass: { firstLoadJsKb: pass },
  };
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ ...result, ...figures, firstLoadJs: js }, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
  return pass ? 0 : 1;
}

type Figures = Record<keyof typeof GOALS, number>;
export type Result = Figures & {
  pass: Record<keyof typeof GOALS, boolean>;
  mainThread: {
    rolloutPage: { idleP95Ms: number; renderFloor?: FloorOp[] };
    overview: { rollouts: number; idleP95Ms: number; renderFloor?: FloorOp[] };
  };
  changeToBrowser: { onePage: LatencyRun; serverFanoutMany: FanoutRun };
  overview: { rollouts: number; medianMs: number };
  overview10k: { rollouts: number; reach: { seenByScrolling: number; searchMs: number | null } | null };
  serverRss: { afterOverviewMb: number; withPagesMb: number };
};

/** The browser alone doing what a pause shows on a page (render-floor.ts): the part no code of the page can save. */
function floorRow(r: Result, page: keyof typeof PAUSE_FLOOR): string[] {
  const f = r.mainThread[page].renderFloor?.find((o) => o.op === PAUSE_FLOOR[page]);
  const none = r.mainThread[page].renderFloor?.find((o) => o.op === 'none');
  const where = page === 'overview' ? 'overview' : 'rollout page';
  const measured = f
    ? `p50 ${f.p50Ms.toFixed(1)} / p95 ${f.p95Ms.toFixed(1)} ms (the measuring alone: p50 ${none?.p50Ms.toFixed(1) ?? '?'} ms)`
    : 'not measured';
  return [`  the browser alone, ${where}: what a pause shows`, measured, '(the floor)', ''];
}

export function printTable(r: Result, many: LatencyRun | null, fanout: FanoutPart): void {
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const rows = [
    ['measure', 'measured', 'goal', 'result'],
    [
      'main thread per change, rollout page, p95',
      `${ms(r.mainThreadMsPerChangeP95)} (idle ${ms(r.mainThread.rolloutPage.idleP95Ms)})`,
      `<= ${GOALS.mainThreadMsPerChangeP95} ms`,
      met(r.pass.mainThreadMsPerChangeP95),
    ],
    [
      `main thread per change, overview of ${r.mainThread.overview.rollouts}, p95`,
      `${ms(r.overviewMainThreadMsPerChangeP95)} (idle ${ms(r.mainThread.overview.idleP95Ms)})`,
      `<= ${GOALS.overviewMainThreadMsPerChangeP95} ms`,
      met(r.pass.overviewMainThreadMsPerChangeP95),
    ],
    ...(['rolloutPage', 'overview'] as const).map((p) => floorRow(r, p)),
    [
      `change -> ${r.changeToBrowser.serverFanoutMany.streams} view streams, p95`,
      ms(r.fanout500P95Ms),
      `<= ${GOALS.fanout500P95Ms} ms`,
      met(r.pass.fanout500P95Ms),
    ],
    [
      `overview of ${r.overview10k.rollouts}: first rows (median)`,
      `${ms(r.overview10kFirstRowsMs)} (scroll saw ${r.overview10k.reach?.seenByScrolling ?? 'none'}, search ${r.overview10k.reach?.searchMs == null ? 'failed' : ms(r.overview10k.reach.searchMs)})`,
      `<= ${GOALS.overview10kFirstRowsMs} ms, all reachable`,
      met(r.pass.overview10kFirstRowsMs),
    ],
    [
      `server RSS with ${r.overview10k.rollouts} rollouts`,
      `${r.rss10kMb.toFixed(0)} MB`,
      `<= ${GOALS.rss10kMb} MB`,
      met(r.pass.rss10kMb),
    ],
    [
      `first-load JS of ${ROLLOUT_PAGE}`,
      `${r.firstLoadJsKb.toFixed(1)} kB gzip`,
      `<= ${GOALS.firstLoadJsKb} kB`,
      met(r.pass.firstLoadJsKb),
    ],
    [
      'change -> 1 page, p50 / p95',
      `${ms(r.changeToBrowser.onePage.p50Ms)} / ${ms(r.changeToBrowser.onePage.p95Ms)}`,
      '',
      '',
    ],
    ...fanoutRows(fanout).map(([measure, measured]) => [measure, measured, '', '']),
    [`overview of ${r.overview.rollouts}: first rows (median)`, ms(r.overview.medianMs), '', ''],
    [
      `server RSS after the overview of ${r.overview.rollouts}`,
      `${r.serverRss.afterOverviewMb.toFixed(0)} MB`,
      '',
      '',
    ],
  ];
  if (many)
    rows.push([
      `change -> ${many.pages} Chromium pages, p50 / p95 (information)`,
      `${ms(many.p50Ms)} / ${ms(many.p95Ms)}, missed ${many.missed}, RSS ${r.serverRss.withPagesMb.toFixed(0)} MB`,
      '',
      '',
    ]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
}
