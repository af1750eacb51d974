/**
 * npm run bench:chaos [-- --only <scenario>[,<scenario>…]] [--quick] [--keep]
 *
 * One full canary per scenario on a fresh lab and control center, 50 rps through the gateway, one fault each; writes
 * bench/results/chaos.json (a full run; a run with --only or --quick writes to the temp folder instead) and prints
 * the table. Exit 1 when any row did not pass (or could not run).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../e2e/lab-fixture';
import { REPO_ROOT } from '../../support/testing/processes';
import { startApiFaultProxy } from './api-fault-proxy';
import { type Ctx, runCanary } from './canary';
import { decisionMatches, recoverySeconds, tallyRequests, tallyWrites, wrongPromotes } from './classify';
import { type FullDisk, mountSmallDisk } from './disk-full';
import { type ChaosResult, type ChaosRow, exitCode, formatTable, outcomeOf } from './report';
import { SCENARIOS, type Scenario } from './scenarios/index';
import { applyDemo, ensureBuilt, Lab, log, startCc } from './stack';

const RPS = 50;
const TIMEOUT = { full: 15 * 60_000, quick: 6 * 60_000 };

function parseArgs(argv: string[]): { only: string[] | null; quick: boolean; keep: boolean } {
  let only: string[] | null = null;
  let quick = false;
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') quick = true;
    else if (a === '--keep') keep = true;
    else if (a === '--only') {
      only = (argv[++i] ?? '').split(',').filter(Boolean);
      const unknown = only.filter((s) => !(s in SCENARIOS));
      if (!only.length || unknown.length)
        throw new Error(
          `--only: unknown scenario ${unknown.join(', ') || '(none given)'}; one of ${Object.keys(SCENARIOS).join(', ')}`,
        );
    } else throw new Error(`unknown argument ${a} (--only <scenario>, --quick, --keep)`);
  }
  return { only, quick, keep };
}

/** The judge's explanation for the demo canary as it stands (as the AnalysisRun asks, with the template's defaults). */
async function judgeExplanation(ccUrl: string, token: string): Promise<string> {
  const res = await fetch(`${ccUrl}/api/v1/judge?namespace=demo&rollout=webapp`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await res.json()) as { explanation?: string };
  return body.explanation ?? `HTTP ${res.status}`;
}

async function runScenario(s: Scenario, quick: boolean, keep: boolean): Promise<ChaosRow> {
  const base = { scenario: s.name, expectedDecision: s.expected } as const;
  const notRun = (note: string): ChaosRow => ({
    ...base,
    requestsFailedByMechanics: null,
    acknowledgedWritesLost: null,
    wrongPromotes: null,
    recoverySeconds: null,
    decision: 'not-run',
    outcome: 'not-run',
    note,
  });
  const missing = s.missing?.();
  if (missing) return notRun(missing);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-chaos-'));
  const cleanups: Array<() => Promise<void> | void> = [];
  try {
    const lab = await Lab.create(dir);
    cleanups.push(() => lab.stop());
    await lab.start();
    const proxy = await startApiFaultProxy(dir, () => lab.url);
    cleanups.push(() => proxy.close());
    const dataDir = path.join(dir, 'cc-data');
    let disk: FullDisk | null = null;
    if (s.smallDisk) {
      try {
        disk = await mountSmallDisk(dataDir, 16);
      } catch (err) {
        return notRun((err as Error).message);
      }
      const d = disk;
      cleanups.push(() => d.unmount());
    }
    const port = Number(process.env.E2E_PORT) || (await freePort());
    const judgeToken = `chaos-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    const ccUrl = `http://127.0.0.1:${port}`;
    await applyDemo(lab, ccUrl, judgeToken, quick);
    const cc = await startCc({ lab, proxy, port, dataDir, judgeToken });
    cleanups.push(() => cc.stop());
    const ctx: Ctx = {
      lab,
      cc,
      proxy,
      disk,
      firstResponseAfter: () => Promise.reject(new Error('no load running')),
    };
    const limit = s.timeoutMs ?? TIMEOUT;
    const run = await runCanary({
      ctx,
      kind: s.kind,
      rps: RPS,
      timeoutMs: quick ? limit.quick : limit.full,
      ...(s.inject ? { inject: s.inject } : {}),
      ...(s.trigger ? { trigger: s.trigger } : {}),
    });
    // a canary left undecided says why: what the judge answers now (its pause explanation)
    const judgeNow =
      run.decision === 'stuck'
        ? await judgeExplanation(ccUrl, judgeToken).catch((e: Error) => e.message)
        : null;
    const tally = tallyRequests(run.results, run.injected?.trafficWindows ?? []);
    const writes = tallyWrites(run.sent, run.audit);
    const matches = decisionMatches(run.decision, s.expected);
    const notes = [s.fault];
    if (run.injectError) notes.push(`FAULT INJECTION FAILED: ${run.injectError}`);
    else if (s.inject && !run.injected)
      notes.push('FAULT NEVER INJECTED: the canary was decided before the trigger');
    if (run.injected) notes.push(run.injected.note);
    notes.push(
      `${tally.total} requests: ${tally.ok} 2xx, ${tally.canaryFault} injected canary 500s, ${tally.trafficFault} in the outage, ${tally.mechanics} mechanics${tally.mechanics ? ` ${JSON.stringify(tally.mechanicsBy)}` : ''}`,
    );
    if (tally.mechanicsSpan) {
      const ref = run.injected?.end ?? run.startedAt;
      const rel = (t: number) => `${((t - ref) / 1000).toFixed(1)} s`;
      notes.push(
        `mechanics failures sent from ${rel(tally.mechanicsSpan.first)} to ${rel(tally.mechanicsSpan.last)} after the ${run.injected ? "fault's end" : "canary's start"}`,
      );
    }
    notes.push(
      `${writes.acknowledged} actions acknowledged of ${run.sent.length} sent; ${writes.lost} lost; ${writes.outcomeUnknown} without outcome`,
    );
    if (run.missingFromTimeline.length)
      notes.push(
        `${run.missingFromTimeline.length} AnalysisRun measurements missing from the stored timeline`,
      );
    if (run.finalState) notes.push(`final: ${run.finalState.phase} ${run.finalState.message}`.trim());
    // a wrong decision says why: the judge's last decisive verdict, as the timeline stored it
    const lastVerdict = run.verdicts.at(-1);
    if (!matches && lastVerdict) notes.push(`judge: ${lastVerdict}`);
    if (judgeNow) notes.push(`judge at the end: ${judgeNow}`);
    const row: Omit<ChaosRow, 'outcome'> = {
      ...base,
      requestsFailedByMechanics: tally.mechanics,
      acknowledgedWritesLost: writes.lost,
      wrongPromotes: wrongPromotes(run.decision, s.expected),
      recoverySeconds: run.injected
        ? recoverySeconds(run.injected.end, run.rolloutChanges, run.results, run.decidedAt)
        : null,
      decision: run.decision,
      note: notes.join('; '),
      detail: {
        requests: tally,
        writes,
        missingFromTimeline: run.missingFromTimeline,
        verdicts: run.verdicts,
        actionsByStatus: countBy(run.sent.map((a) => String(a.status))),
        canarySeconds: Math.round((run.endedAt - run.startedAt) / 1000),
        decidedAfterSeconds: run.decidedAt ? Math.round((run.decidedAt - run.startedAt) / 1000) : null,
        controlCenterStarts: cc.starts,
        labStarts: lab.starts,
      },
    };
    const injectedOk = !s.inject || run.injected !== null;
    return { ...row, outcome: injectedOk ? outcomeOf(row, matches) : 'fail' };
  } finally {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        log(`cleanup: ${(err as Error).message}`);
      }
    }
    if (keep) log(`kept ${dir} (logs of the lab and the control center)`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  await ensureBuilt();
  const names = args.only ?? Object.keys(SCENARIOS);
  const rows: ChaosRow[] = [];
  const official = !args.only && !args.quick;
  const out = official
    ? path.join(REPO_ROOT, 'bench/results/chaos.json')
    : path.join(os.tmpdir(), `chaos-${args.quick ? 'quick' : 'only'}.json`);
  const load = () => os.loadavg().map((l) => Math.round(l * 100) / 100);
  const loadAtStart = load();
  const write = () => {
    const finishedAt = new Date();
    const result: ChaosResult = {
      rows,
      commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT }).toString().trim(),
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSeconds: Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? '',
        memGb: Math.round(os.totalmem() / 2 ** 30),
        loadAverage: load(),
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
      },
      rps: RPS,
      quick: args.quick,
      ...(loadAtStart[0] !== undefined && loadAtStart[0] > os.cpus().length * 0.5
        ? {
            caveat: `the machine was shared: load average ${loadAtStart.join(' / ')} at the start on ${os.cpus().length} cores`,
          }
        : {}),
    };
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  };
  for (const name of names) {
    const s = SCENARIOS[name];
    if (!s) continue;
    log(`scenario ${name}: ${s.fault}`);
    let row: ChaosRow;
    try {
      row = await runScenario(s, args.quick, args.keep);
    } catch (err) {
      row = {
        scenario: s.name,
        requestsFailedByMechanics: null,
        acknowledgedWritesLost: null,
        wrongPromotes: null,
        recoverySeconds: null,
        decision: 'not-run',
        expectedDecision: s.expected,
        outcome: 'fail',
        note: `the run broke: ${(err as Error).message.split('\n')[0]}`,
      };
    }
    rows.push(row);
    log(`${name}: ${row.outcome} (${row.decision}, expected ${row.expectedDecision})`);
    write();
  }
  console.log(formatTable(rows));
  console.log(`\n${official ? 'results' : 'development run (not the published figures)'}: ${out}`);
  return exitCode(rows);
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`bench:chaos: ${err.message}`);
    process.exit(2);
  },
);
