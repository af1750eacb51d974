/** Worker thread of bench/judge/run.ts: runs the jobs it is sent and posts their results back. */
import { parentPort } from 'node:worker_threads';
import { runCell } from './cells';
import { type CellKey, runCellBatch } from './flow/cells';
import type { PromqlAnalysis } from './flow/controller';
import { efficiencyPoints, runEfficiency } from './flow/efficiency';
import { readDeployedFlow } from './flow/manifests';
import { runTuningBatch } from './flow/tune';

export type Job =
  | { kind: 'timer'; scenario: number; rps: number; runs: number }
  | { kind: 'cell'; key: CellKey; from: number; count: number; argo: PromqlAnalysis }
  | { kind: 'tune'; cell: number; candidate: number; from: number; count: number }
  | { kind: 'efficiency'; point: number; runs: number };

const flow = readDeployedFlow();

export function runJob(job: Job): unknown {
  switch (job.kind) {
    case 'timer':
      return runCell(job.scenario, job.rps, job.runs);
    case 'cell':
      return runCellBatch(job.key, job.from, job.count, flow, job.argo);
    case 'tune':
      return runTuningBatch(job.cell, job.candidate, job.from, job.count, flow);
    case 'efficiency':
      return runEfficiency(efficiencyPoints()[job.point] as never, job.runs);
  }
}

parentPort?.on('message', (job: Job) => {
  parentPort?.postMessage(runJob(job));
});
