/** Tables, the issue-12 checklist and the Markdown report of the deployed-flow bench. */
import type { FlowRow, Rate } from './cells';
import type { EfficiencyResult } from './efficiency';
import type { TuningRow } from './tune';

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const ci = (r: Rate) => `${pct(r.rate)} [${pct(r.ci[0])}, ${pct(r.ci[1])}]`;
const sec = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(0));

export function rowLabel(r: FlowRow): string {
  return `${r.scenario}${r.variant ? ` (${r.variant})` : ''}`;
}

/** The printed table: one line per row. */
export function formatFlowTable(rows: readonly FlowRow[]): string {
  const head = [
    'scenario'.padEnd(44),
    'rps'.padStart(4),
    'scr'.padStart(3),
    'policy'.padEnd(11),
    'runs'.padStart(5),
    'promote'.padStart(7),
    'rollback'.padStart(8),
    'pause'.padStart(7),
    'rb 95% hi'.padStart(9),
    'mean s'.padStart(6),
    'p50 s'.padStart(6),
    'p95 s'.padStart(6),
    'rb mean'.padStart(7),
    'Δref pts'.padStart(8),
  ].join(' ');
  const lines = rows.map((r) =>
    [
      rowLabel(r).padEnd(44),
      String(r.totalRps).padStart(4),
      String(r.scrapeSeconds).padStart(3),
      r.policy.padEnd(11),
      String(r.runs).padStart(5),
      pct(r.promote.rate).padStart(7),
      pct(r.rollback.rate).padStart(8),
      pct(r.pause.rate).padStart(7),
      pct(r.rollback.ci[1]).padStart(9),
      sec(r.decisionSeconds.mean).padStart(6),
      sec(r.decisionSeconds.p50).padStart(6),
      sec(r.decisionSeconds.p95).padStart(6),
      sec(r.rollbackSeconds?.mean).padStart(7),
      (r.reference ? r.reference.maxChangePoints.toFixed(1) : '').padStart(8),
    ].join(' '),
  );
  return [head, '-'.repeat(head.length), ...lines].join('\n');
}

export interface CheckItem {
  target: string;
  met: boolean;
  figure: string;
  cells: number;
}

const judgeRows = (rows: readonly FlowRow[], id: string, pred: (r: FlowRow) => boolean = () => true) =>
  rows.filter((r) => r.policy === 'judge' && r.scenario === id && pred(r));

function worst(rows: readonly FlowRow[], value: (r: FlowRow) => number, higherIsWorse = true) {
  if (rows.length === 0) return null;
  return rows.reduce((a, b) => ((higherIsWorse ? value(b) > value(a) : value(b) < value(a)) ? b : a));
}

const where = (r: FlowRow) =>
  `${rowLabel(r)} @${r.totalRps} rps, ${r.scrapeSeconds} s scrapes, ${r.runs} runs`;

/** "label: 10/5s 0.1%, 10/15s 0.0%; label2: …" */
function allCells(cells: readonly FlowRow[], value: (r: FlowRow) => string): string {
  const groups = new Map<string, string[]>();
  for (const r of cells) {
    const k = rowLabel(r);
    groups.set(k, [...(groups.get(k) ?? []), `${r.totalRps}/${r.scrapeSeconds}s ${value(r)}`]);
  }
  return [...groups.entries()]
    .map(([k, xs]) => (groups.size > 1 ? `${k}: ${xs.join(', ')}` : xs.join(', ')))
    .join('; ');
}

/** The "Must show" targets of issue 12 that this bench measures, from the judge's rows (never hides a miss). */
export function checklist(rows: readonly FlowRow[], efficiency: readonly EfficiencyResult[]): CheckItem[] {
  const items: CheckItem[] = [];
  const rateItem = (
    target: string,
    cells: FlowRow[],
    pick: (r: FlowRow) => Rate,
    limit: number,
    higherIsWorse = true,
  ) => {
    const w = worst(cells, (r) => pick(r).rate, higherIsWorse);
    if (!w) {
      items.push({ target, met: false, figure: 'no cell', cells: 0 });
      return;
    }
    const v = pick(w).rate;
    items.push({
      target,
      met: higherIsWorse ? v <= limit : v >= limit,
      figure: `worst ${Math.round(pick(w).rate * w.runs)} of ${w.runs} = ${ci(pick(w))} (${where(w)}); all cells (rps/scrape): ${allCells(cells, (r) => pct(pick(r).rate))}`,
      cells: cells.length,
    });
  };
  rateItem(
    'false rollbacks ≤ 0.5 % on A/A with nuisances (10/50/200 rps)',
    judgeRows(rows, 'aa-nuisances'),
    (r) => r.rollback,
    0.005,
  );
  rateItem(
    'false rollbacks ≤ 1 % near-SLO with bursts CV 0.5 (10/50/200 rps)',
    judgeRows(rows, 'near-slo-bursts-0.5'),
    (r) => r.rollback,
    0.01,
  );
  rateItem(
    'P(promote) ≤ 5 % exactly on the SLO with bursts',
    judgeRows(rows, 'on-slo-bursts-0.5'),
    (r) => r.promote,
    0.05,
  );
  const bad = rows.filter(
    (r) =>
      r.policy === 'judge' &&
      (['errors-2pct', 'errors-5pct', 'errors-100pct'].includes(r.scenario) || r.variant === 'P95 350 ms'),
  );
  rateItem('P(promote) ≤ 1 % for errors ≥ 2 % or P95 ≥ 350 ms', bad, (r) => r.promote, 0.01);
  rateItem(
    'regressions that appear only at ≥ 30 % reach 100 % in ≤ 1 % of runs',
    rows.filter((r) => r.policy === 'judge' && r.scenario.startsWith('late-regression')),
    (r) => r.promote,
    0.01,
  );
  rateItem(
    'a healthy canary at 10 rps is promoted in ≥ 95 % of runs',
    judgeRows(rows, 'healthy-10rps', (r) => r.variant === 'poisson'),
    (r) => r.promote,
    0.95,
    false,
  );
  for (const id of ['gateway-restart', 'reused-service']) {
    const cells = judgeRows(rows, id, (r) => r.reference !== undefined);
    const w = worst(cells, (r) => r.reference?.maxChangePoints ?? 0);
    items.push({
      target: `${id}: no decision rate changes by more than 1 point (paired: same seeds without it)`,
      met: w !== null && (w.reference?.maxChangePoints ?? 0) <= 1,
      figure: w
        ? `worst ${w.reference?.maxChangePoints.toFixed(1)} points, ${w.reference?.changedRuns} of ${w.runs} runs decided differently (${where(w)})`
        : 'no cell',
      cells: cells.length,
    });
  }
  const speed = (target: string, id: string, rps: number[], limit: number) => {
    const cells = judgeRows(rows, id, (r) => r.scrapeSeconds === 5 && rps.includes(r.totalRps));
    const w = worst(cells, (r) => r.rollbackSeconds?.mean ?? Number.POSITIVE_INFINITY);
    const m = w?.rollbackSeconds?.mean;
    const each = cells
      .map(
        (r) =>
          `${r.totalRps} rps: mean ${r.rollbackSeconds?.mean.toFixed(1)} s (p50 ${r.rollbackSeconds?.p50}, p95 ${r.rollbackSeconds?.p95}, P(≤ ${limit} s) ${pct(r.rollbackWithin?.[String(limit)] ?? Number.NaN)}), rolled back ${pct(r.rollback.rate)}, ${r.runs} runs`,
      )
      .join('; ');
    items.push({
      target,
      met: w !== null && m !== undefined && m <= limit && w.rollback.rate >= 0.99,
      figure: w ? each : 'no cell',
      cells: cells.length,
    });
  };
  speed('5 % errors: mean time to ROLLBACK ≤ 35 s at 50 rps (5 s scrapes)', 'errors-5pct', [50], 35);
  speed('5 % errors: mean time to ROLLBACK ≤ 15 s at 200 rps (5 s scrapes)', 'errors-5pct', [200], 15);
  speed(
    '100 % errors: mean time to ROLLBACK ≤ 10 s (5 s scrapes, 10/50/200 rps)',
    'errors-100pct',
    [10, 50, 200],
    10,
  );
  const e = efficiency.reduce<EfficiencyResult | null>(
    (a, b) => (a === null || b.ratio > a.ratio ? b : a),
    null,
  );
  items.push({
    target: 'efficiency ≤ 1.25× the same-α oracle SPRT at the worst grid point',
    met: e !== null && e.ratio <= 1.25,
    figure: e
      ? `worst ${e.ratio.toFixed(2)}× (${e.test} ${e.direction} at ${e.point}, ${e.runs} runs)`
      : 'not run',
    cells: efficiency.length,
  });
  return items;
}

export function formatChecklist(items: readonly CheckItem[]): string {
  return items.map((i) => `[${i.met ? 'met' : 'MISSED'}] ${i.target}: ${i.figure}`).join('\n');
}

export function formatEfficiency(rs: readonly EfficiencyResult[]): string {
  const head = `${'test'.padEnd(8)} ${'direction'.padEnd(9)} ${'point'.padEnd(12)} ${'α'.padStart(7)} ${'runs'.padStart(5)} ${'judge n'.padStart(8)} ${'oracle n'.padStart(8)} ${'Wald ASN'.padStart(8)} ${'ratio'.padStart(6)}`;
  const lines = rs.map(
    (r) =>
      `${r.test.padEnd(8)} ${r.direction.padEnd(9)} ${r.point.padEnd(12)} ${r.alpha.toFixed(4).padStart(7)} ${String(r.runs).padStart(5)} ${r.judgeMeanRequests.toFixed(0).padStart(8)} ${r.oracleMeanRequests.toFixed(0).padStart(8)} ${r.waldAsn.toFixed(0).padStart(8)} ${r.ratio.toFixed(2).padStart(6)}`,
  );
  return [head, ...lines].join('\n');
}

export function formatTuning(rows: readonly TuningRow[]): string {
  return rows
    .map(
      (r) =>
        `${r.chosen ? '*' : ' '} count ${r.count} failureLimit ${r.failureLimit}: false rollbacks ${Object.entries(
          r.falseRollback,
        )
          .map(([k, v]) => `${k} ${pct(v)}`)
          .join(', ')}; rolled back ${Object.entries(r.detection)
          .map(([k, v]) => `${k} ${pct(v)}`)
          .join(', ')}${r.eligible ? '' : ' (not eligible)'}`,
    )
    .join('\n');
}

const list = (o: Record<string, number> | undefined) =>
  Object.entries(o ?? {})
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

function whyOf(r: FlowRow): string {
  if (r.policy !== 'judge') return '';
  const rb = list(r.rollbackBy);
  const pa = list(r.pauseBlockedBy);
  return [rb ? `rollbacks: ${rb}` : '', pa ? `pauses: ${pa}` : ''].filter(Boolean).join('; ');
}

const short = (x: number) => (x === 0 ? '0' : x === 1 ? '100' : (x * 100).toFixed(1));
const ppp = (r: FlowRow) => `${short(r.promote.rate)} / ${short(r.rollback.rate)} / ${short(r.pause.rate)}`;

/**
 * One line per cell at one scrape interval: the judge's rates and times, then the baselines' rates and mean time
 * (promoted / rolled back / paused, in %).
 */
export function condensedTable(rows: readonly FlowRow[], scrapeSeconds: number): string {
  const out = [
    `| scenario (${scrapeSeconds} s scrapes) | rps | runs | judge % promoted / rolled back / paused | judge s to decide: mean / p50 / p95 | Argo PromQL (tuned) % , mean s | Flagger %, mean s |`,
    '|---|---|---|---|---|---|---|',
  ];
  const judge = rows.filter((r) => r.policy === 'judge' && r.scrapeSeconds === scrapeSeconds);
  for (const j of judge) {
    const same = (p: string) =>
      rows.find(
        (r) =>
          r.policy === p &&
          r.scenario === j.scenario &&
          r.variant === j.variant &&
          r.totalRps === j.totalRps &&
          r.scrapeSeconds === j.scrapeSeconds,
      );
    const a = same('argo-promql');
    const f = same('flagger');
    const why = Object.entries(j.rollbackBy ?? {})
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    out.push(
      `| ${rowLabel(j)} | ${j.totalRps} | ${j.runs} | ${ppp(j)}${why ? ` (rollbacks: ${why})` : ''} | ${sec(j.decisionSeconds.mean)} / ${sec(j.decisionSeconds.p50)} / ${sec(j.decisionSeconds.p95)} | ${a ? `${ppp(a)}, ${sec(a.decisionSeconds.mean)}` : ''} | ${f ? `${ppp(f)}, ${sec(f.decisionSeconds.mean)}` : ''} |`,
    );
  }
  return out.join('\n');
}

/** Markdown: the checklist, the efficiency table, the tuning table and every deployed row. */
export function markdown(
  rows: readonly FlowRow[],
  items: readonly CheckItem[],
  efficiency: readonly EfficiencyResult[],
  tuning: readonly TuningRow[],
  meta: Record<string, unknown>,
): string {
  const out: string[] = [];
  out.push('# bench:judge, deployed flow', '');
  out.push(`Generated by \`npm run bench:judge\` (${JSON.stringify(meta)}).`, '');
  out.push('## Issue 12 "Must show" (this bench)', '', '| target | | figure |', '|---|---|---|');
  for (const i of items) out.push(`| ${i.target} | ${i.met ? 'met' : '**missed**'} | ${i.figure} |`);
  out.push('', '## Efficiency (per-request, i.i.d., same-α oracle)', '');
  out.push(
    '| test | direction | point | α | runs | judge mean n | oracle mean n | ratio |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const r of efficiency)
    out.push(
      `| ${r.test} | ${r.direction} | ${r.point} | ${r.alpha} | ${r.runs} | ${r.judgeMeanRequests.toFixed(0)} | ${r.oracleMeanRequests.toFixed(0)} | ${r.ratio.toFixed(2)} |`,
    );
  out.push(
    '',
    '## Argo PromQL baseline tuning (tuning scenarios and seeds only)',
    '',
    '```',
    formatTuning(tuning),
    '```',
  );
  out.push('', '## Cells at 5 s scrapes', '', condensedTable(rows, 5), '');
  out.push('', '## Cells at 15 s scrapes', '', condensedTable(rows, 15), '');
  out.push('', '## Every deployed-flow row', '');
  out.push(
    '| scenario | rps | scrape s | policy | runs | promoted | rolled back | paused | mean / p50 / p95 s to decide | mean s to rollback | Δ vs reference (points) | judge: rollbacks by; pauses waiting on |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of rows)
    out.push(
      `| ${rowLabel(r)} | ${r.totalRps} | ${r.scrapeSeconds} | ${r.policy} | ${r.runs} | ${ci(r.promote)} | ${ci(r.rollback)} | ${ci(r.pause)} | ${sec(r.decisionSeconds.mean)} / ${sec(r.decisionSeconds.p50)} / ${sec(r.decisionSeconds.p95)} | ${sec(r.rollbackSeconds?.mean)} | ${r.reference ? r.reference.maxChangePoints.toFixed(1) : ''} | ${whyOf(r)} |`,
    );
  return `${out.join('\n')}\n`;
}
