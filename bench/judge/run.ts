/**
 * Judge bench: `npm run bench:judge` (full, ~10 min on 2 cores) or `npm run bench:judge -- --quick`.
 * Options: --quick, --runs N (override runs per cell), --workers N.
 * Writes bench/results/judge.json and bench/results/judge.svg and prints a table.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type Row, SCENARIOS } from './cells';
import { formatTable, writeChart, writeJson } from './report';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const argValue = (name: string) => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : null;
};
const RPS = quick ? [10, 50] : [10, 50, 200];
const baseRuns = argValue('--runs') ?? (quick ? 300 : 2000);
const runsFor = (name: string) =>
  name.startsWith('A/A') && !argValue('--runs') ? baseRuns * (quick ? 2 : 5) : baseRuns;
const workers = Math.min(argValue('--workers') ?? availableParallelism(), 8);

interface Job {
  scenario: number;
  rps: number;
  runs: number;
}

async function main() {
  const started = performance.now();
  const jobs: Job[] = [];
  SCENARIOS.forEach((s, i) => {
    if (quick && s.name.includes('no 300 ms')) return;
    for (const rps of RPS) jobs.push({ scenario: i, rps, runs: runsFor(s.name) });
  });
  jobs.sort((a, b) => b.runs * b.rps - a.runs * a.rps);
  const results = new Map<Job, Row[]>();
  const workerFile = path.join(__dirname, 'worker.ts');
  await Promise.all(
    Array.from({ length: Math.min(workers, jobs.length) }, async () => {
      // Workers do not inherit tsx's loader: register tsx's CommonJS hook, then load the TypeScript worker.
      const w = new Worker(`require('tsx/cjs'); require(${JSON.stringify(workerFile)});`, { eval: true });
      for (let job = jobs.shift(); job; job = jobs.shift()) {
        const current = job;
        const rows = await new Promise<Row[]>((resolve, reject) => {
          const fail = (e: unknown) => reject(e);
          w.once('error', fail);
          w.once('message', (r: Row[]) => {
            w.off('error', fail);
            resolve(r);
          });
          w.postMessage(current);
        });
        results.set(current, rows);
        process.stderr.write('.');
      }
      await w.terminate();
    }),
  );
  process.stderr.write('\n');
  const rows = [...results.entries()]
    .sort(([a], [b]) => a.scenario - b.scenario || a.rps - b.rps)
    .flatMap(([, r]) => r);
  const outDir = path.join(__dirname, '..', 'results');
  mkdirSync(outDir, { recursive: true });
  const seconds = (performance.now() - started) / 1000;
  writeJson(path.join(outDir, 'judge.json'), rows, {
    mode: quick ? 'quick' : 'full',
    wallSeconds: Math.round(seconds),
  });
  const order = SCENARIOS.filter((s) => !s.healthy && !s.name.includes('no 300')).map((s) => s.name);
  await writeChart(path.join(outDir, 'judge.svg'), rows, order);
  console.log(formatTable(rows));
  console.log(
    `\n${rows.length} rows in ${seconds.toFixed(0)} s → bench/results/judge.json, bench/results/judge.svg`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
