/** Table, JSON and SVG chart output for the judge bench. */
import { writeFileSync } from 'node:fs';
import type { TopLevelSpec } from 'vega-lite';
import type { Row } from './cells';

const pct = (x: number) => `${(x * 100).toFixed(2)}%`.padStart(8);
const num = (x: number | null, digits = 0) => (x === null ? '—' : x.toFixed(digits)).padStart(6);

export function formatTable(rows: readonly Row[]): string {
  const header = `${'scenario'.padEnd(30)} ${'rps'.padStart(4)} ${'policy'.padEnd(8)} ${'runs'.padStart(6)} ${'promote'.padStart(8)} ${'pause'.padStart(8)} ${'rollback'.padStart(8)} ${'rb≤95%'.padStart(8)} ${'med s'.padStart(6)} ${'p95 s'.padStart(6)} ${'bad'.padStart(6)} ${'n/SPRT'.padStart(6)}`;
  const lines = rows.map(
    (r) =>
      `${r.scenario.padEnd(30)} ${String(r.totalRps).padStart(4)} ${r.policy.padEnd(8)} ${String(r.runs).padStart(6)} ${pct(r.promoteRate)} ${pct(r.pauseRate)} ${pct(r.rollbackRate)} ${pct(r.rollbackRateUpper95)} ${num(r.medianDecisionSeconds)} ${num(r.p95DecisionSeconds)} ${num(r.badRequestsServedMedian)} ${num(r.samplesOverSprtBound, 2)}`,
  );
  return [header, '-'.repeat(header.length), ...lines].join('\n');
}

export function writeJson(path: string, rows: readonly Row[], meta: Record<string, unknown>) {
  writeFileSync(path, `${JSON.stringify({ ...meta, rows }, null, 2)}\n`);
}

/** Median time to decision by regression size, one line per policy, one panel per total rps. */
export async function writeChart(path: string, rows: readonly Row[], order: readonly string[]) {
  const data = rows
    .filter((r) => order.includes(r.scenario))
    .map((r) => ({
      scenario: r.scenario,
      policy: r.policy,
      rps: `${r.totalRps} rps`,
      seconds: r.medianDecisionSeconds,
      decided: 1 - r.pauseRate,
    }));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Median time to decision by regression size (15 s scrapes, steps 10 → 30 → 60 %)',
    data: { values: data },
    facet: { column: { field: 'rps', type: 'ordinal', sort: null, title: null } },
    spec: {
      width: 300,
      height: 260,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'scenario', type: 'ordinal', sort: [...order], title: null, axis: { labelAngle: -40 } },
        y: {
          field: 'seconds',
          type: 'quantitative',
          scale: { type: 'symlog' },
          title: 'seconds to decide (median)',
        },
        color: { field: 'policy', type: 'nominal' },
        tooltip: [{ field: 'decided', format: '.1%' }],
      },
    },
  };
  // vega is ESM-only with top-level await: load it dynamically from this CommonJS-compiled script.
  const vega = await import('vega');
  const { compile } = await import('vega-lite');
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  writeFileSync(path, await view.toSVG());
  view.finalize();
}
