import { nextFrame } from './next-frame';

/**
 * How long what changes a page gathers before the page renders it, ms. One change of a rollout reaches the browser as a
 * burst (the spec, then the controller's status write some tens of ms later, then its Events), and the page's reads
 * and its clock fall on the same round seconds: gathered, they render once instead of once each, and the page does
 * not flash the states in between. A human reads 100 ms as at once.
 */
export const SETTLE_MS = 100;

/**
 * This page load's own offset of the wall clock's round instants, ms (0–10 s, drawn once): the page's clock and its
 * reads fall on the same instants as each other, and different browsers on different ones, so a fleet of open pages
 * does not read the server all at the same second.
 */
export const PAGE_PHASE_MS = Math.floor(Math.random() * 10_000);

/**
 * The wait until the next instant `phaseMs` past a round multiple of `everyMs` on the wall clock, never less than
 * `atLeastMs` (a timer that fired a little early does not fire twice): where the page's clock ticks and its reads fall.
 */
export function untilRound(
  everyMs: number,
  now = Date.now(),
  phaseMs = PAGE_PHASE_MS,
  atLeastMs = 1000,
): number {
  const left = everyMs - ((((now - phaseMs) % everyMs) + everyMs) % everyMs);
  return left < atLeastMs ? left + everyMs : left;
}

let queue: Array<() => void> = [];
let running = false;

function run(): void {
  running = true;
  const failures: unknown[] = [];
  // What the batch schedules while it runs (the cache telling its panels) joins it: one render in all.
  for (let i = 0; i < queue.length; i++) {
    try {
      (queue[i] as () => void)();
    } catch (err) {
      failures.push(err);
    }
  }
  queue = [];
  running = false;
  for (const err of failures)
    setTimeout(() => {
      throw err;
    });
}

/**
 * Runs `fn` in the page's next frame of changes: at the first animation frame `SETTLE_MS` after the first of them was
 * scheduled, all together, so React renders them in one pass and the browser lays out and paints once. The live
 * streams' messages, the query cache's notifications and the clock's ticks all go through it.
 */
export function inPageFrame(fn: () => void): void {
  queue.push(fn);
  if (running || queue.length > 1) return;
  setTimeout(() => nextFrame(run), SETTLE_MS);
}
