import { type LabProcess, PATHS, patch, sleep } from '@control-center/lab/testing';
import type { Page } from '@playwright/test';
import { epochNow } from './browser';
import { settled } from './latency';
import type { TrafficShown } from './page-traffic';
import type { FloorOp } from './render-floor';
import { log } from './stack';
import { summary } from './stats';
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
   * A read the page makes because of the change, after showing it (the rollout page reads its timeline 800 ms after a
   * change's last stream message): the window goes on until that read has answered and the page has drawn it. A URL
   * part; the read counted is the first that starts at least `FOLLOWING_READ_AFTER_MS` after the page showed the change.
   */
  followingRead?: string;
}

/** The rollout page's change-triggered read waits 800 ms after the last stream message; its showing came ~100 ms after it. */
const FOLLOWING_READ_AFTER_MS = 500;

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
  samplesMs: { changes: number[]; idle: number[] };
  /** Information: what the browser alone costs for the DOM operations the page shows on a change (render-floor.ts). */
  renderFloor?: FloorOp[];
  /** The users' traffic the page showed meanwhile (page-traffic.ts): rate, chart points per version. */
  traffic?: TrafficShown;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

function showsIn(args: { selector: string; text: string; none: boolean }): boolean {
  const els = [...document.querySelectorAll(args.selector)];
  return (args.none || els.length > 0) && els.every((e) => (e.textContent ?? '').includes(args.text));
}

/** Waits until the page has answered and drawn the read of `urlPart` that follows a change it showed at `shownAt`. */
async function followingRead(page: Page, urlPart: string, shownAt: number): Promise<void> {
  const res = await page.waitForResponse(
    (r) => r.url().includes(urlPart) && r.request().timing().startTime >= shownAt + FOLLOWING_READ_AFTER_MS,
    { timeout: 15_000 },
  );
  await within(res.finished(), `the answer of ${res.url()} (${res.status()})`);
  // The answer's render and paint: two frames after it arrived.
  await within(
    page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))'),
    'two frames after the answer',
  );
}

/** `p`, or an error naming `what` after 15 s. */
async function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within 15 s`)), 15_000);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits (polling every 100 ms, at most 15 s) until the page shows the change `want`. */
async function untilShown(page: Page, shown: Shown, want: 'paused' | 'resumed'): Promise<void> {
  const args = { selector: shown.selector, text: shown.text[want], none: shown.noneShows === want };
  await page.waitForFunction(showsIn, args, { timeout: 15_000, polling: 100 });
}

/**
 * Main-thread time per change on one open page, from Chromium's own counters (CDP Performance.getMetrics,
 * TaskDuration: the renderer main thread's task time, in thread ticks: CPU time of the thread). `changes` times, alternating: pause / resume demo/webapp with a
 * merge patch of `spec.paused` (as `kubectl argo rollouts pause` does); a window runs from just before the PATCH until
 * the controller's own status write has landed and the page shows the settled phase, and, with `followingRead`, until
 * the read the change makes the page do has answered and been drawn; it counts every task the page ran in it (the spec
 * event, the status event, React's commits, layout and paint, the read's answer). Then as many idle windows of the
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
    for (let i = 0; i < changes; i++) {
      const want = i % 2 === 0 ? 'paused' : 'resumed';
      const t0 = performance.now();
      const m0 = await metrics();
      await patch(lab, PATHS.rollout, { spec: { paused: want === 'paused' } });
      await settled(lab, want === 'paused');
      await untilShown(page, shown, want);
      if (shown.followingRead) await followingRead(page, shown.followingRead, epochNow());
      const m1 = await metrics();
      windows.push(performance.now() - t0);
      task.push(m1.task - m0.task);
      script.push(m1.script - m0.script);
      layout.push(m1.layout - m0.layout);
      style.push(m1.style - m0.style);
    }
    const windowMeanMs = windows.reduce((a, b) => a + b, 0) / Math.max(1, windows.length);
    const idle: number[] = [];
    for (let i = 0; i < changes; i++) {
      const m0 = await metrics();
      await sleep(windowMeanMs);
      const m1 = await metrics();
      idle.push(m1.task - m0.task);
    }
    const s = summary(task);
    const run: MainThreadRun = {
      page: page.url(),
      changes: task.length,
      ...s,
      meanMs: task.reduce((a, b) => a + b, 0) / Math.max(1, task.length),
      scriptP95Ms: summary(script).p95Ms,
      layoutP95Ms: summary(layout).p95Ms,
      styleP95Ms: summary(style).p95Ms,
      idleP95Ms: summary(idle).p95Ms,
      windowMeanMs,
      samplesMs: { changes: task.map(round1), idle: idle.map(round1) },
    };
    log(
      `main thread per change on ${new URL(run.page).pathname}: p50 ${s.p50Ms.toFixed(1)} ms, p95 ${s.p95Ms.toFixed(1)} ms; p95 script ${run.scriptP95Ms.toFixed(1)}, layout ${run.layoutP95Ms.toFixed(1)}, style ${run.styleP95Ms.toFixed(1)} ms (idle p95 ${run.idleP95Ms.toFixed(1)} ms per ${windowMeanMs.toFixed(0)} ms window)`,
    );
    return run;
  } finally {
    await counters.detach();
  }
}
