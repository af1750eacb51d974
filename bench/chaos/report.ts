/** The rows of `bench/results/chaos.json` and the table `npm run bench:chaos` prints (pure). */
import type { Decision, Expected } from './classify';

export interface ChaosRow {
  scenario: string;
  /** Non-2xx answers and transport errors through the gateway that neither the canary fault nor the injected outage explain. */
  requestsFailedByMechanics: number | null;
  /** Actions the control center answered 2xx whose audit row is missing. */
  acknowledgedWritesLost: number | null;
  /** The canary reached 100 % although the scenario expected it not to. */
  wrongPromotes: number | null;
  /** Fault end -> the rollout progressing again and a first 2xx through the gateway; null: no recovery seen. */
  recoverySeconds: number | null;
  decision: Decision;
  expectedDecision: Expected;
  /** pass: decision as expected and nothing lost; fail: otherwise; not-run: a prerequisite is missing (see note). */
  outcome: 'pass' | 'fail' | 'not-run';
  /** How the fault was made, and what was seen (one line). */
  note: string;
  detail?: Record<string, unknown>;
}

export interface ChaosResult {
  rows: ChaosRow[];
  commit: string;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  machine: {
    cpus: number;
    cpuModel: string;
    memGb: number;
    loadAverage: number[];
    node: string;
    platform: string;
  };
  rps: number;
  quick: boolean;
  /** Said plainly when the machine was shared while the figures were taken. */
  caveat?: string;
}

/** pass only when the decision is the expected one and no request, write or promote was lost to the machinery. */
export function outcomeOf(row: Omit<ChaosRow, 'outcome'>, matches: boolean): ChaosRow['outcome'] {
  if (row.decision === 'not-run') return 'not-run';
  const clean =
    (row.requestsFailedByMechanics ?? 0) === 0 &&
    (row.acknowledgedWritesLost ?? 0) === 0 &&
    (row.wrongPromotes ?? 0) === 0;
  return matches && clean ? 'pass' : 'fail';
}

const dash = (v: number | null): string => (v === null ? '-' : String(v));

const COLUMNS: Array<[string, (r: ChaosRow) => string]> = [
  ['scenario', (r) => r.scenario],
  ['failed by mechanics', (r) => dash(r.requestsFailedByMechanics)],
  ['acked writes lost', (r) => dash(r.acknowledgedWritesLost)],
  ['wrong promotes', (r) => dash(r.wrongPromotes)],
  ['recovery s', (r) => dash(r.recoverySeconds)],
  ['decision', (r) => r.decision],
  ['expected', (r) => r.expectedDecision],
  ['outcome', (r) => r.outcome],
];

/** A Markdown table (the README's), one line per row, then each row's note. */
export function formatTable(rows: readonly ChaosRow[]): string {
  const head = `| ${COLUMNS.map(([h]) => h).join(' | ')} |`;
  const rule = `|${COLUMNS.map(([,]) => '---').join('|')}|`;
  const body = rows.map((r) => `| ${COLUMNS.map(([, f]) => f(r).replaceAll('|', '\\|')).join(' | ')} |`);
  const notes = rows.map((r) => `- ${r.scenario}: ${r.note}`);
  return [head, rule, ...body, '', ...notes].join('\n');
}

/** Exit status of the bench: 0 only when every row that ran passed and none was left unrun. */
export function exitCode(rows: readonly ChaosRow[]): number {
  return rows.length > 0 && rows.every((r) => r.outcome === 'pass') ? 0 : 1;
}
