/** Worker process for bench/judge/run.ts: runs the cells it is sent and posts the rows back. */
import { parentPort } from 'node:worker_threads';
import { runCell } from './cells';

parentPort?.on('message', (msg: { scenario: number; rps: number; runs: number }) => {
  parentPort?.postMessage(runCell(msg.scenario, msg.rps, msg.runs));
});
