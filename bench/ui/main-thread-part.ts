import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import type { MainThreadRun } from './main-thread';

/** The main-thread goals (p95 per change, ms). */
export const MAIN_THREAD_GOALS = { mainThreadMsPerChangeP95: 8, overviewMainThreadMsPerChangeP95: 8 };

/** The two main-thread figures of a run and whether each meets its goal. */
export function mainThreadFigures(rolloutPage: MainThreadRun, overview: MainThreadRun) {
  const figures = {
    mainThreadMsPerChangeP95: rolloutPage.p95Ms,
    overviewMainThreadMsPerChangeP95: overview.p95Ms,
  };
  const pass = {
    mainThreadMsPerChangeP95: figures.mainThreadMsPerChangeP95 <= MAIN_THREAD_GOALS.mainThreadMsPerChangeP95,
    overviewMainThreadMsPerChangeP95:
      figures.overviewMainThreadMsPerChangeP95 <= MAIN_THREAD_GOALS.overviewMainThreadMsPerChangeP95,
  };
  return { figures, pass };
}

/** `--only main-thread`: the two figures alone (the rollout page, then the overview of `--rollouts`), to `out`. */
export function writeMainThread(
  rolloutPage: MainThreadRun,
  overview: MainThreadRun & { rollouts: number },
  build: string,
  out: string,
): number {
  const { figures, pass } = mainThreadFigures(rolloutPage, overview);
  for (const [k, v] of Object.entries(figures))
    console.log(
      `${k}: ${v.toFixed(1)} ms (goal <= ${MAIN_THREAD_GOALS[k as keyof typeof MAIN_THREAD_GOALS]} ms): ${pass[k as keyof typeof pass] ? 'met' : 'MISSED'}`,
    );
  const result = {
    bench: 'ui',
    only: 'main-thread',
    generatedAt: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, loadAvgAtEnd: loadavg() },
    build,
    ...figures,
    goals: MAIN_THREAD_GOALS,
    pass,
    mainThread: { rolloutPage, overview },
  };
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
  return Object.values(pass).every(Boolean) ? 0 : 1;
}
