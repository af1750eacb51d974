/**
 * The control center's UI bench (issue #6): what a user of the browser pages notices.
 *
 * Builds the app when `.next` is missing or older than its sources (`--no-build` uses `.next` as it is), starts the
 * real lab (temp LAB_DIR, free loopback ports, no Prometheus) with manifests/app and the production server on a free
 * port, signs in as a viewer, then measures
 *   1. first-load JS of the rollout page: every `<script src>` of its HTML, gzip -9;
 *   2. overview load with 1,000 extra Rollouts in 50 namespaces (0 replicas: no pods, the lab stays quiet): navigation
 *      start to the "All rollouts" table listing every row, fresh browser context each time; server RSS afterwards;
 *   3. cluster change -> browser: pause / resume demo/webapp through the Kubernetes API and time until the DOM of
 *      each open rollout page shows it, with 1 page and with 50 pages (one context each); server RSS with 50 open.
 * Prints measured vs goal and writes bench/results/ui.json. Everything started is stopped at the end, also on failure.
 *
 *   npx tsx bench/ui/run.ts [--pages 50] [--changes 30] [--rollouts 1000] [--loads 5] [--no-build] [--out FILE]
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { healthyAt, waitFor } from '@control-center/lab/testing';
import type { Browser, Page } from '@playwright/test';
import { SERVER_NODE_FLAGS } from '../../e2e/lab-fixture';
import { REPO_ROOT } from '../../support/testing/processes';
import { launchBrowser, Session } from './browser';
import { type FanoutRun, streamFanout } from './fanout';
import { firstLoadJs } from './first-load-js';
import { changeLatency, type LatencyRun, openRolloutPages, ROLLOUT_PAGE } from './latency';
import { overviewLoad } from './overview';
import { SEED_NAMESPACES, seedRollouts } from './seed';
import { build, buildNeeded, log, rssMb, type Stack, startStack } from './stack';

const GOALS = { changeP95Ms: 1000, overviewMs: 1500, rssMb: 300, firstLoadJsGzipKb: 250 };
/** The whole run may take this long; past it everything is stopped. */
const RUN_BUDGET_MS = 35 * 60_000;

async function main(): Promise<number> {
  const { values: opt } = parseArgs({
    options: {
      pages: { type: 'string', default: '50' },
      changes: { type: 'string', default: '30' },
      rollouts: { type: 'string', default: '1000' },
      loads: { type: 'string', default: '5' },
      'no-build': { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(REPO_ROOT, 'bench/results/ui.json') },
    },
  });
  const pagesN = Number(opt.pages);
  const changes = Number(opt.changes);
  const seeded = Number(opt.rollouts);
  const loads = Number(opt.loads);
  const out = path.resolve(opt.out);

  const stale = buildNeeded();
  if (stale && opt['no-build']) throw new Error(`${stale}: run \`npm run build\` first (or drop --no-build)`);
  if (stale) {
    log(`${stale}: building`);
    await build();
  }

  let stack: Stack | null = null;
  let browser: Browser | null = null;
  let stopping: Promise<void> | null = null;
  const stopAll = () => {
    stopping ??= (async () => {
      await browser?.close().catch(() => undefined);
      await stack?.stop();
    })();
    return stopping;
  };
  const onSignal = () => void stopAll().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const watchdog = setTimeout(() => {
    log(`run budget of ${RUN_BUDGET_MS / 60_000} min exceeded: stopping`);
    void stopAll().finally(() => process.exit(2));
  }, RUN_BUDGET_MS);

  try {
    stack = await startStack();
    const { lab, url, ccPid } = stack;
    log(`lab on ${lab.apiUrl}, control center on ${url} (pid ${ccPid}, build ${stack.buildId})`);
    await waitFor('demo/webapp Healthy', () => healthyAt(lab, 'webapp:v1.0'), 90_000);
    const session = await Session.login(url);
    browser = await launchBrowser();

    const js = await firstLoadJs(url, session.cookie, ROLLOUT_PAGE);
    log(`first-load JS of ${ROLLOUT_PAGE}: ${js.gzipKb} kB gzip in ${js.scripts} scripts`);

    log(`seeding ${seeded} rollouts in ${SEED_NAMESPACES} namespaces`);
    await seedRollouts(lab, seeded);
    const expected = seeded + 1; // and demo/webapp
    await waitFor(
      `the control center listing ${expected} rollouts`,
      async () => {
        const res = await fetch(`${url}/api/v1/rollouts`, { headers: { cookie: session.cookie } });
        return res.ok && ((await res.json()) as { items: unknown[] }).items.length === expected;
      },
      120_000,
      500,
    );
    const overview = await overviewLoad(browser, session, expected, loads);
    const rssOverview = rssMb(ccPid);

    log(`opening ${pagesN} live streams without a browser (the server's fan-out)`);
    const fanout = await streamFanout(lab, url, session.cookie, pagesN, changes);

    const runs: LatencyRun[] = [];
    let rssPages = rssOverview;
    for (const n of [1, pagesN]) {
      log(`opening ${n} rollout page(s)`);
      const pages: Page[] = await openRolloutPages(browser, session, n, 10 * 60_000);
      try {
        runs.push(await changeLatency(lab, pages, changes, 6 * 60_000));
        rssPages = rssMb(ccPid); // with the pages still open
      } finally {
        await Promise.all(pages.map((p) => p.context().close()));
      }
    }
    const [one, many] = runs as [LatencyRun, LatencyRun];

    const result = {
      bench: 'ui',
      generatedAt: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length, chromium: browser.version() },
      build: stack.buildId,
      /** The control center runs with the heap bounds it ships with. */
      serverNodeFlags: SERVER_NODE_FLAGS,
      goals: GOALS,
      changeToBrowser: {
        change: 'merge patch of spec.paused on demo/webapp (pause, then resume), through the Kubernetes API',
        onePage: { ...one, pass: one.p95Ms <= GOALS.changeP95Ms && one.missed === 0 },
        manyPages: { ...many, pass: many.p95Ms <= GOALS.changeP95Ms && many.missed === 0 },
        /** The same changes to as many streams read without a browser: the server's part of the page latency. */
        serverFanout: fanout,
      },
      overview: {
        rollouts: expected,
        namespaces: SEED_NAMESPACES + 1,
        ...overview,
        pass: overview.medianMs <= GOALS.overviewMs,
      },
      serverRss: {
        afterOverviewMb: rssOverview.rss,
        with50PagesMb: rssPages.rss,
        peakMb: rssPages.peak,
        pass: Math.max(rssOverview.rss, rssPages.rss) <= GOALS.rssMb,
      },
      firstLoadJs: { ...js, pass: js.gzipKb <= GOALS.firstLoadJsGzipKb },
    };
    printTable(result);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
    const passes = [
      result.changeToBrowser.onePage.pass,
      result.changeToBrowser.manyPages.pass,
      result.overview.pass,
      result.serverRss.pass,
      result.firstLoadJs.pass,
    ];
    return passes.every(Boolean) ? 0 : 1;
  } finally {
    clearTimeout(watchdog);
    await stopAll();
  }
}

type Result = {
  changeToBrowser: Record<'onePage' | 'manyPages', LatencyRun & { pass: boolean }> & {
    serverFanout: FanoutRun;
  };
  overview: { medianMs: number; maxMs: number; loads: number; rollouts: number; pass: boolean };
  serverRss: { afterOverviewMb: number; with50PagesMb: number; pass: boolean };
  firstLoadJs: { gzipKb: number; scripts: number; pass: boolean };
};

function printTable(r: Result): void {
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const { onePage: one, manyPages: many } = r.changeToBrowser;
  const rssOk = (v: number) => v <= GOALS.rssMb;
  const rows = [
    ['measure', 'measured', 'goal', 'result'],
    ['change -> page, 1 page, p50', ms(one.p50Ms), '', ''],
    ['change -> page, 1 page, p95', ms(one.p95Ms), `<= ${GOALS.changeP95Ms} ms`, met(one.pass)],
    [
      `change -> ${r.changeToBrowser.serverFanout.streams} streams (no browser), p50 / p95`,
      `${ms(r.changeToBrowser.serverFanout.p50Ms)} / ${ms(r.changeToBrowser.serverFanout.p95Ms)}`,
      '',
      '',
    ],
    [`change -> page, ${many.pages} pages, p50`, ms(many.p50Ms), '', ''],
    [
      `change -> page, ${many.pages} pages, p95`,
      ms(many.p95Ms),
      `<= ${GOALS.changeP95Ms} ms`,
      met(many.pass),
    ],
    [
      `overview load, ${r.overview.rollouts} rollouts (median of ${r.overview.loads})`,
      ms(r.overview.medianMs),
      `<= ${GOALS.overviewMs} ms`,
      met(r.overview.pass),
    ],
    [
      'server RSS after the overview',
      `${r.serverRss.afterOverviewMb.toFixed(0)} MB`,
      `<= ${GOALS.rssMb} MB`,
      met(rssOk(r.serverRss.afterOverviewMb)),
    ],
    [
      `server RSS with ${many.pages} pages open`,
      `${r.serverRss.with50PagesMb.toFixed(0)} MB`,
      `<= ${GOALS.rssMb} MB`,
      met(rssOk(r.serverRss.with50PagesMb)),
    ],
    [
      `first-load JS of ${ROLLOUT_PAGE}`,
      `${r.firstLoadJs.gzipKb.toFixed(1)} kB gzip`,
      `<= ${GOALS.firstLoadJsGzipKb} kB`,
      met(r.firstLoadJs.pass),
    ],
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
  console.log(
    `(${one.samples} + ${many.samples} page samples over ${one.changes} + ${many.changes} changes, ` +
      `missed ${one.missed + many.missed}; overview max ${ms(r.overview.maxMs)}; ${r.firstLoadJs.scripts} scripts)`,
  );
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench ui: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
