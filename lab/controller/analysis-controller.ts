import { isDeepStrictEqual } from 'node:util';
import { WorkQueue } from '../runtime/work-queue';
import type { LabStore } from '../store/lab-store';
import { isCompleted } from './analysis/assess';
import { applyMeasurements, type MeasureOptions, measure, planMeasurements } from './analysis/run-executor';
import { resolvedRun } from './analysis/secret-args';
import { RT } from './observe';
import type { AnalysisRun } from './types';

export interface AnalysisControllerOptions extends MeasureOptions {
  store: LabStore;
  now?: () => number;
  log?: (msg: string) => void;
}

/** Runs AnalysisRuns: takes due measurements (in parallel per run), assesses, writes status, requeues at the next interval. */
export function startAnalysisController(opts: AnalysisControllerOptions): { stop(): Promise<void> } {
  const { store } = opts;
  const now = opts.now ?? Date.now;
  const queue = new WorkQueue(
    async (k) => reconcile(k),
    10,
    (k, e) => opts.log?.(`analysisrun ${k}: ${(e as Error).message}`),
  );

  async function reconcile(k: string): Promise<void> {
    const [ns = '', name = ''] = k.split('/');
    const run = store.get(RT.ar, ns, name) as AnalysisRun | undefined;
    if (!run || isCompleted(run.status?.phase)) return;
    const resolved = resolvedRun(store, run);
    const { due } = planMeasurements(resolved, now());
    const taken = await Promise.all(
      due.map(async (m) => ({ metric: m.name, measurement: await measure(resolved, m, now, opts) })),
    );
    const fresh = store.get(RT.ar, ns, name) as AnalysisRun | undefined;
    if (!fresh || isCompleted(fresh.status?.phase)) return;
    const status = applyMeasurements(resolvedRun(store, fresh), taken, now());
    let written = fresh;
    if (!isDeepStrictEqual(status, fresh.status)) {
      written = store.update(RT.ar, { ...fresh, status }, { subresource: 'status' }) as AnalysisRun;
    }
    const next = planMeasurements(resolvedRun(store, written), now()).nextAt;
    if (next !== undefined && !isCompleted(written.status?.phase))
      queue.addAfter(k, Math.max(0, next - now()) + 5);
  }

  const stop = store.watch(RT.ar, {}, (ev) => {
    if (ev.type !== 'DELETED') queue.add(`${ev.object.metadata.namespace}/${ev.object.metadata.name}`);
  });
  return {
    async stop() {
      stop();
      await queue.stop();
    },
  };
}
