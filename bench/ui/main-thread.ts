import { type LabProcess, PATHS, patch, sleep } from '@control-center/lab/testing';
import type { Page, Request } from '@playwright/test';
import { within as bounded } from '../../lib/within';
import { settled } from './latency';
import type { TrafficShown } from './page-traffic';
import { pollRounds } from './poll-rounds';
import type { FloorOp } from './render-floor';
import { log } from './stack';
import { mean, summary } from './stats';
import { mainThreadCounters } from './thread-ticks';

/**
 * What the page shows once a change has landed: every element matching `selector` contains `text`, and one does
 * unless `noneShows` is the change (a virtualised list: a resumed rollout sorts back among the others, out of view).
 */
export interface Shown {
  selector: string;
  text: { paused: string; resumed: string };
  noneShows?: 'paused' | 'resumed';
  /**
   * The change's own line in a list the page also shows (the rollout page's timeline: the phase it reached): the first
   * element matching `selector` contains the text. The window lasts until it shows.
   */
  line?: { selector: string; text: { paused: string; resumed: string } };
  /**
   * Reads the page may make because of a change (a URL part): the window goes on `READS_QUIET_MS` after the change
   * showed, and every such read started since the PATCH is waited for, answered and drawn, and counted.
   */
  reads?: string;
  /**
   * The page's periodic reads (a URL part of one of them, and their period): each change and idle window is placed
   * clear of their rounds, which happen whatever else happens; as many windows placed on a round measure a round's own
   * cost (`roundP50Ms`, `roundP95Ms`), reported beside the change's.
   */
  polls?: { urlPart: string; everyMs: number };
}

/**
 * How long past showing a change a window watches for the reads it makes. The rollout page used to read its timeline
 * 800 ms after a change's last stream message (it showed ~100 ms after that message): a read on that plan, or any
 * slower one up to 1.5 s, still falls in the window.
 */
const READS_QUIET_MS = 1500;

export interface MainThreadRun {
  page: string;
  changes: number;
  /** Renderer main-thread time (Chromium's TaskDuration) per change, ms: p50, p95, max, mean. */
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  meanMs: number;
  /** Of it, JavaScript (ScriptDuration) per change, ms. */
  scriptP95Ms: number;
  /** Of it, layout (LayoutDuration) and style recalculation (RecalcStyleDuration) per change, ms. */
  layoutP95Ms: number;
  styleP95Ms: number;
  /** The same counter over as many windows of the same length with no change: what the page does at rest. */
  idleP95Ms: number;
  /** The mean length of a measurement window (PATCH sent to the page showing the settled state), ms. */
  windowMeanMs: number;
  /** Every window's main-thread time, in order: per change, then at rest, ms. */
  samplesMs: { changes: number[]; idle: number[]; rounds?: number[] };
  /** Information: what the browser alone costs for the DOM operations the page shows on a change (render-floor.ts). */
  renderFloor?: FloorOp[];
  /** With `Shown.polls`: the main-thread time of windows of the same length placed on a round of the reads, ms. */
  roundP50Ms?: number;
  roundP95Ms?: number;
  /** Reads of `Shown.reads` that fell in the change windows (each waited for, answered and drawn). */
  readsInWindows?: number;
  /** The users' traffic the page showed meanwhile (page-traffic.ts): rate, chart points per version. */
  traffic?: TrafficShown;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

function showsIn(args: { selector: string; text: string; none: boolean }): boolean {
  const els = [...document.querySelectorAll(args.selector)];
  return (args.none || els.length > 0) && els.every((e) => (e.textContent ?? '').includes(args.text));
}

const twoFrames = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))';

/** Watches `page` for reads of `urlPart` from now on; `settle` waits `quietMs`, then for every one seen to be drawn. */
function watchReads(page: Page, urlPart: string) {
  const seen: Request[] = [];
  const onRequest = (r: Request) => {
    if (r.url().includes(urlPart)) seen.push(r);
  };
  page.on('request', onRequest);
  return {
    async settle(quietMs: number): Promise<number> {
      await sleep(quietMs);
      page.off('request', onRequest);
      for (const r of seen) {
        const res = await within(r.response(), `the answer of ${r.url()}`);
        if (res) await within(res.finished(), `the body of ${r.url()} (${res.status()})`);
      }
      // The answers' render and paint: two frames after the last arrived.
      if (seen.length) await within(page.evaluate(twoFrames), 'two frames after the answers');
      return seen.length;
    },
  };
}

/** `p`, or an error naming `what` after 15 s. */
const within = <T>(p: Promise<T>, what: string): Promise<T> =>
  bounded(p, 15_000, () => `${what}: not within 15 s`);

function firstShows(args: { selector: string; text: string }): boolean {
  return (document.querySelector(args.selector)?.textContent ?? '').includes(args.text);
}

/** Waits (polling every 100 ms, at most 15 s each) until the page shows the change `want`, and its line if any. */
async function untilShown(page: Page, shown: Shown, want: 'paused' | 'resumed'): Promise<void> {
  const args = { selector: shown.selector, text: shown.text[want], none: shown.noneShows === want };
  await page.waitForFunction(showsIn, args, { timeout: 15_000, polling: 100 });
  if (shown.line) {
    const line = { selector: shown.line.selector, text: shown.line.text[want] };
    await page.waitForFunction(firstShows, line, { timeout: 15_000, polling: 100 });
  }
}

/**
 * Main-thread time per change on one open page, from Chromium's own counters (CDP Performance.getMetrics,
 * TaskDuration: the renderer main thread's task time, in thread ticks: CPU time of the thread). `changes` times, alternating: pause / resume demo/webapp with a
 * merge patch of `spec.paused` (as `kubectl argo rollouts pause` does); a window runs from just before the PATCH until
 * the controller's own status write has landed and the page shows the settled phase (and the change's `line`), and, with
 * `reads`, for `READS_QUIET_MS` more with every read the change made the page do answered and drawn; it counts every
 * task the page ran in it (the spec event, the status event, React's commits, layout and paint, the reads' answers, and
 * whatever else the page did meanwhile: a poll of its charts, its clock). Then as many idle windows of the
 * mean length, to tell the change apart from what the page does at rest (clock ticks, timers).
 */
export async function mainThreadPerChange(
  lab: LabProcess,
  page: Page,
  shown: Shown,
  changes: number,
): Promise<MainThreadRun> {
  const counters = await mainThreadCounters(page);
  const metrics = counters.read;
  try {
    const task: number[] = [];
    const script: number[] = [];
    const layout: number[] = [];
    const style: number[] = [];
    const windows: number[] = [];
    let reads = 0;
    const rounds = shown.polls ? pollRounds(page, shown.polls.urlPart, shown.polls.everyMs) : undefined;
    // A window's length to keep clear of the rounds: half as long again as the longest so far (2.5 s before any).
    const clearFor = () => Math.max(2500, 1.5 * Math.max(0, ...windows));
    for (let i = 0; i < changes; i++) {
      const want = i % 2 === 0 ? 'paused' : 'resumed';
      await rounds?.clear(clearFor());
      const t0 = performance.now();
      const m0 = await metrics();
      const watching = shown.reads ? watchReads(page, shown.reads) : undefined;
      await patch(lab, PATHS.rollout, { spec: { paused: want === 'paused' } });
      await settled(lab, want === 'paused');
      await untilShown(page, shown, want);
      if (watching) reads += await watching.settle(READS_QUIET_MS);
      const m1 = await metrics();
      windows.push(performance.now() - t0);
      task.push(m1.task - m0.task);
      script.push(m1.script - m0.script);
      layout.push(m1.layout - m0.layout);
      style.push(m1.style - m0.style);
    }
    const windowMeanMs = mean(windows);
    const idle: number[] = [];
    for (let i = 0; i < changes; i++) {
      await rounds?.clear(clearFor());
      const m0 = await metrics();
      await sleep(windowMeanMs);
      const m1 = await metrics();
      idle.push(m1.task - m0.task);
    }
    const round: number[] = [];
    for (let i = 0; rounds && i < Math.min(changes, 10); i++) {
      await rounds.before();
      const m0 = await metrics();
      await sleep(windowMeanMs);
      const m1 = await metrics();
      round.push(m1.task - m0.task);
    }
    rounds?.stop();
    const s = summary(task);
    const run: MainThreadRun = {
      page: page.url(),
      changes: task.length,
      ...s,
      meanMs: mean(task),
      scriptP95Ms: summary(script).p95Ms,
      layoutP95Ms: summary(layout).p95Ms,
      styleP95Ms: summary(style).p95Ms,
      idleP95Ms: summary(idle).p95Ms,
      windowMeanMs,
      samplesMs: { changes: task.map(round1), idle: idle.map(round1) },
      ...(shown.reads ? { readsInWindows: reads } : {}),
      ...(round.length ? { roundP50Ms: summary(round).p50Ms, roundP95Ms: summary(round).p95Ms } : {}),
    };
    if (round.length) run.samplesMs.rounds = round.map(round1);
    log(
      `main thread per change on ${new URL(run.page).pathname}: p50 ${s.p50Ms.toFixed(1)} ms, p95 ${s.p95Ms.toFixed(1)} ms; p95 script ${run.scriptP95Ms.toFixed(1)}, layout ${run.layoutP95Ms.toFixed(1)}, style ${run.styleP95Ms.toFixed(1)} ms (idle p95 ${run.idleP95Ms.toFixed(1)} ms per ${windowMeanMs.toFixed(0)} ms window)${shown.reads ? `; ${reads} read(s) of ${shown.reads} in the windows` : ''}${round.length ? `; a round of the ${shown.polls?.everyMs} ms reads: p50 ${run.roundP50Ms?.toFixed(1)}, p95 ${run.roundP95Ms?.toFixed(1)} ms` : ''}`,
    );
    return run;
  } finally {
    await counters.detach();
  }
}
