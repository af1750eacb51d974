/**
 * The control center's UI bench (issue #6, figures of issue #16): what a user of the browser pages notices.
 *
 * Builds the app when `.next` is missing or older than its sources (`--no-build` uses `.next` as it is), starts the
 * real lab (temp LAB_DIR, free loopback ports, no Prometheus) with manifests/app and the production server on a free
 * port, signs in as a viewer, then measures
 *   1. first-load JS of the rollout page: every `<script src>` of its HTML, gzip -9;
 *   2. one open rollout page: change -> DOM latency and the renderer's main-thread time per change (Chromium's own
 *      counters, CDP Performance.getMetrics TaskDuration), pause / resume of demo/webapp through the Kubernetes API,
 *      under 20 rps of users' traffic through the lab's gateway that has run `--page-traffic-minutes` (default 15: the
 *      charts' whole range, as on a page open through a release) before the page opens;
 *   3. the server's fan-out of those changes to live streams of the rollout page read without a browser: 50 and 500
 *      streams of the page's view deltas (`shape=view`, what the page reads), and 50 of the raw objects beside them,
 *      with the bytes per change per stream of both;
 *   4. 1,000 extra Rollouts in 100 namespaces (0 replicas: the lab runs no pod for them; its controller makes one
 *      empty ReplicaSet each and leaves them Healthy): overview load (first rows) and main-thread time per change;
 *   5. 50 rollout pages, one browser context each, change -> DOM (information: on two cores it measures the browsers);
 *   6. 10,000 Rollouts in the same 100 namespaces: overview first rows, every row reached by scrolling and by search,
 *      server RSS.
 * Prints measured vs goal and writes bench/results/ui.json with the issue's figures at its top level. Everything
 * started is stopped at the end, also on failure.
 *
 *   npx tsx bench/ui/run.ts [--pages 50] [--streams 500] [--changes 30] [--rollouts 1000] [--rollouts-10k 10000]
 *                           [--loads 5] [--no-build] [--out FILE] [--only first-load|fanout|main-thread]
 *                           [--page-traffic-minutes 15]
 *
 * `--only first-load` measures 1. alone (no browser) and writes just that figure (default bench/results/ui-first-load.json).
 * `--only fanout` measures 3. alone (no browser; `--streams`, `--changes`) and writes bench/results/ui-fanout.json
 * with fanout500P95Ms at its top.
 * `--only main-thread` measures the main-thread figures of 2. and 4. alone (`--changes`, `--rollouts`) and writes
 * bench/results/ui-main-thread.json.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { healthyAt, type LabProcess, waitFor } from '@control-center/lab/testing';
import type { Browser, Page } from '@playwright/test';
import { SERVER_NODE_FLAGS } from '../../e2e/lab-fixture';
import { REPO_ROOT } from '../../support/testing/processes';
import { launchBrowser, openLivePage, Session } from './browser';
import { fanoutFields, fanoutPart, fanoutPass, printFanout } from './fanout-part';
import { firstLoadJs } from './first-load-js';
import { changeLatency, type LatencyRun, openRolloutPages, ROLLOUT_PAGE } from './latency';
import { mainThreadPerChange } from './main-thread';
import { mainThreadFigures, writeMainThread } from './main-thread-part';
import { overviewLoad, overviewReach } from './overview';
import { renderFloor } from './render-floor';
import { EARLIER_GOALS, GOALS, printTable, writeFirstLoad } from './report';
import { rolloutPagePart } from './rollout-page-part';
import { SEED_NAMESPACES, seededRollout, seedNamespaces, seedRollouts } from './seed';
import { build, buildNeeded, log, rssMb, type Stack, startStack } from './stack';

/** The whole run may take this long; past it everything is stopped. */
const RUN_BUDGET_MS = 80 * 60_000;

/** Polls the control center's list until it holds `expected` rollouts. */
async function listed(url: string, cookie: string, expected: number, timeoutMs: number): Promise<void> {
  await waitFor(
    `the control center listing ${expected} rollouts`,
    async () => {
      const res = await fetch(`${url}/api/v1/rollouts`, { headers: { cookie } });
      return res.ok && ((await res.json()) as { items: unknown[] }).items.length === expected;
    },
    timeoutMs,
    2000,
  );
}

const OVERVIEW_SHOWN = {
  selector: '[data-testid="row-demo/webapp"]',
  text: { paused: 'Paused', resumed: 'Healthy' },
  noneShows: 'resumed',
} as const;

/** The DOM operations timed alone (render-floor.ts) after the overview's per-change windows. */
const OVERVIEW_FLOOR = ['text', 'rowIn', 'attention', 'pause', 'attentionRow'];

async function seedTo(lab: LabProcess, from: number, to: number): Promise<void> {
  const t0 = performance.now();
  log(`seeding rollouts ${from} .. ${to - 1} in ${SEED_NAMESPACES} namespaces`);
  await seedRollouts(lab, from, to);
  log(`seeded ${to - from} rollouts in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

async function main(): Promise<number> {
  const { values: opt } = parseArgs({
    options: {
      pages: { type: 'string', default: '50' },
      streams: { type: 'string', default: '500' },
      changes: { type: 'string', default: '30' },
      rollouts: { type: 'string', default: '1000' },
      'rollouts-10k': { type: 'string', default: '10000' },
      loads: { type: 'string', default: '5' },
      'no-build': { type: 'boolean', default: false },
      'page-traffic-minutes': { type: 'string', default: '15' },
      out: { type: 'string' },
      only: { type: 'string' },
    },
  });
  if (opt.only !== undefined && !['first-load', 'fanout', 'main-thread'].includes(opt.only))
    throw new Error(`--only ${opt.only}: the parts measured alone are first-load, fanout and main-thread`);
  const onlyFanout = opt.only === 'fanout';
  const pagesN = Number(opt.pages);
  const streamsN = Number(opt.streams);
  const changes = Number(opt.changes);
  const seeded = Number(opt.rollouts);
  const seeded10k = Number(opt['rollouts-10k']);
  const loads = Number(opt.loads);
  // A part measured alone never replaces the whole run's ui.json.
  const out = path.resolve(
    opt.out ?? path.join(REPO_ROOT, `bench/results/ui${opt.only ? `-${opt.only}` : ''}.json`),
  );

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
    const loadAtStart = loadavg();
    stack = await startStack();
    const { lab, url, ccPid } = stack;
    log(`lab on ${lab.apiUrl}, control center on ${url} (pid ${ccPid}, build ${stack.buildId})`);
    await waitFor('demo/webapp Healthy', () => healthyAt(lab, 'webapp:v1.0'), 90_000);
    const session = await Session.login(url);
    if (onlyFanout) {
      const fanout = await fanoutPart(lab, url, session.cookie, streamsN, changes);
      const result = {
        bench: 'ui-fanout',
        generatedAt: new Date().toISOString(),
        machine: {
          node: process.version,
          cpus: cpus().length,
          loadAvgAtStart: loadAtStart,
          loadAvgAtEnd: loadavg(),
        },
        build: stack.buildId,
        serverNodeFlags: SERVER_NODE_FLAGS,
        fanout500P95Ms: fanout.many.p95Ms,
        goals: { fanout500P95Ms: GOALS.fanout500P95Ms },
        pass: { fanout500P95Ms: fanoutPass(fanout.many) },
        ...fanoutFields(fanout),
      };
      printFanout(fanout);
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
      return result.pass.fanout500P95Ms ? 0 : 1;
    }
    const js = await firstLoadJs(url, session.cookie, ROLLOUT_PAGE);
    log(`first-load JS of ${ROLLOUT_PAGE}: ${js.gzipKb} kB gzip in ${js.scripts} scripts`);
    if (opt.only === 'first-load') return writeFirstLoad(js, stack.buildId, out);
    browser = await launchBrowser();

    const { one, rolloutMain } = await rolloutPagePart(lab, url, browser, session, {
      changes,
      trafficMinutes: Number(opt['page-traffic-minutes']),
    });
    if (opt.only === 'main-thread') {
      await seedNamespaces(lab);
      await seedTo(lab, 0, seeded);
      await listed(url, session.cookie, seeded + 1, 5 * 60_000);
      // As in the whole run: the overview is loaded a few times first (and the seeded rollouts settle meanwhile).
      await overviewLoad(browser, session, seeded + 1, loads);
      const overviewPage = await openLivePage(browser, session, '/');
      try {
        const overviewMain = await mainThreadPerChange(lab, overviewPage, OVERVIEW_SHOWN, changes);
        overviewMain.renderFloor = await renderFloor(overviewPage, OVERVIEW_FLOOR);
        return writeMainThread(rolloutMain, { rollouts: seeded + 1, ...overviewMain }, stack.buildId, out);
      } finally {
        await overviewPage.context().close();
      }
    }

    const fanout = await fanoutPart(lab, url, session.cookie, streamsN, changes);

    await seedNamespaces(lab);
    await seedTo(lab, 0, seeded);
    const expected = seeded + 1; // and demo/webapp
    await listed(url, session.cookie, expected, 5 * 60_000);
    const overview = await overviewLoad(browser, session, expected, loads);
    const overviewPage = await openLivePage(browser, session, '/');
    let overviewMain: Awaited<ReturnType<typeof mainThreadPerChange>>;
    try {
      overviewMain = await mainThreadPerChange(lab, overviewPage, OVERVIEW_SHOWN, changes);
      overviewMain.renderFloor = await renderFloor(overviewPage, OVERVIEW_FLOOR);
    } finally {
      await overviewPage.context().close();
    }
    const rssOverview = rssMb(ccPid);

    let many: LatencyRun | null = null;
    let rssPages = rssOverview;
    // Information only: a browser that cannot keep 50 pages live on two cores is noted, and the run goes on.
    const infoErrors: string[] = [];
    if (pagesN > 0) {
      log(`opening ${pagesN} rollout pages (information)`);
      let pages: Page[] = [];
      try {
        pages = await openRolloutPages(browser, session, pagesN, 10 * 60_000);
        many = await changeLatency(lab, pages, Math.min(changes, 10), 6 * 60_000);
        rssPages = rssMb(ccPid); // with the pages still open
      } catch (err) {
        infoErrors.push(`${pagesN} rollout pages: ${(err as Error).message.split('\n')[0]}`);
        log(`${pagesN} rollout pages (information) failed: ${(err as Error).message.split('\n')[0]}`);
      } finally {
        await Promise.all(pages.map((p) => p.context().close()));
      }
    }

    // `--rollouts-10k` no larger than `--rollouts`: the 10,000 part is left out (its figures null, its goals missed).
    const big = seeded10k > seeded;
    const expected10k = (big ? seeded10k : seeded) + 1;
    // A page that cannot show 10,000 rows in time is a result too (no figure, the goal missed), not a failed run.
    const errors: string[] = [...infoErrors, ...(big ? [] : ['left out (--rollouts-10k)'])];
    const orNull = (what: string) => (err: Error) => {
      errors.push(`${what}: ${err.message.split('\n')[0]}`);
      log(`${what} failed: ${err.message}`);
      return null;
    };
    let overview10k: Awaited<ReturnType<typeof overviewLoad>> | null = null;
    let reach10k: Awaited<ReturnType<typeof overviewReach>> | null = null;
    let rss10k = { rss: Number.NaN, peak: Number.NaN };
    if (big) {
      await seedTo(lab, seeded, seeded10k);
      await listed(url, session.cookie, expected10k, 15 * 60_000);
      overview10k = await overviewLoad(browser, session, expected10k, Math.min(loads, 3)).catch(
        orNull(`overview of ${expected10k}`),
      );
      const last = seededRollout(seeded10k - 1);
      reach10k = await overviewReach(browser, session, expected10k, {
        text: last.name,
        rowKey: `${last.namespace}/${last.name}`,
      }).catch(orNull(`reaching every row of ${expected10k}`));
      try {
        rss10k = rssMb(ccPid);
      } catch (err) {
        errors.push(`server RSS: ${(err as Error).message}`);
      }
      log(
        `server RSS with ${expected10k} rollouts: ${rss10k.rss.toFixed(0)} MB (peak ${rss10k.peak.toFixed(0)} MB)`,
      );
    }

    const main = mainThreadFigures(rolloutMain, overviewMain);
    const figures = {
      ...main.figures,
      fanout500P95Ms: fanout.many.p95Ms,
      overview10kFirstRowsMs: overview10k?.medianMs ?? Number.NaN,
      rss10kMb: rss10k.rss,
      firstLoadJsKb: js.gzipKb,
    };
    const pass = {
      ...main.pass,
      fanout500P95Ms: fanoutPass(fanout.many),
      overview10kFirstRowsMs:
        figures.overview10kFirstRowsMs <= GOALS.overview10kFirstRowsMs && reach10k?.pass === true,
      rss10kMb: figures.rss10kMb <= GOALS.rss10kMb,
      firstLoadJsKb: figures.firstLoadJsKb <= GOALS.firstLoadJsKb,
    };
    const result = {
      bench: 'ui',
      generatedAt: new Date().toISOString(),
      machine: {
        node: process.version,
        cpus: cpus().length,
        chromium: browser.version(),
        loadAvgAtStart: loadAtStart,
        loadAvgAtEnd: loadavg(),
      },
      build: stack.buildId,
      /** The control center runs with the heap bounds it ships with. */
      serverNodeFlags: SERVER_NODE_FLAGS,
      ...figures,
      goals: GOALS,
      pass,
      mainThread: {
        counter:
          'Chromium TaskDuration (CDP Performance.getMetrics), renderer main thread, per pause or resume',
        rolloutPage: rolloutMain,
        overview: { rollouts: expected, ...overviewMain },
      },
      changeToBrowser: {
        change: 'merge patch of spec.paused on demo/webapp (pause, then resume), through the Kubernetes API',
        goals: EARLIER_GOALS,
        onePage: { ...one, pass: one.p95Ms <= EARLIER_GOALS.changeP95Ms && one.missed === 0 },
        /** Information only: 50 Chromium pages on two cores measure the browsers. */
        manyPages: many,
        ...fanoutFields(fanout),
      },
      overview: {
        rollouts: expected,
        namespaces: SEED_NAMESPACES + 1,
        ...overview,
        pass: overview.medianMs <= EARLIER_GOALS.overviewMs,
      },
      overview10k: {
        rollouts: expected10k,
        namespaces: SEED_NAMESPACES + 1,
        ...overview10k,
        reach: reach10k,
        errors,
      },
      serverRss: {
        afterOverviewMb: rssOverview.rss,
        withPagesMb: rssPages.rss,
        with10kMb: rss10k.rss,
        peakMb: rss10k.peak,
      },
      firstLoadJs: js,
    };
    printTable(result, many, fanout);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
    return Object.values(pass).every(Boolean) ? 0 : 1;
  } catch (err) {
    if (stack) log(`the lab's last output:\n${stack.lab.output().slice(-4000)}`);
    throw err;
  } finally {
    clearTimeout(watchdog);
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench ui: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
