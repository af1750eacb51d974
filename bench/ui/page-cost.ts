import { healthyAt, type LabProcess, PATHS, patch, sleep, waitFor } from '@control-center/lab/testing';
import type { CDPSession, Page } from '@playwright/test';
import { launchBrowser, openLivePage, Session } from './browser';
import { ROLLOUT_PAGE, settled } from './latency';
import { log, startStack } from './stack';
import { mean, summary } from './stats';
import { type MainThreadCounters, mainThreadCounters } from './thread-ticks';

/**
 * How long after a change its work is counted: the page shows it and the controller's status writes land. It ends
 * before the stored timeline is read again (800 ms after a change): that request, the 10 s polls (traffic, timeline,
 * SLO) and their drawing are the page's fetched panels, not the live stream, and a window that saw any of them is
 * reported apart (`polled`), so what is left is the cost of the stream's change itself.
 */
const WINDOW_MS = 700;

type Kind = 'pause' | 'resume' | 'unrelated' | 'idle';

interface Sample {
  kind: Kind;
  /** Chromium's main-thread task time (Performance.getMetrics TaskDuration) in the window, ms. */
  taskMs: number;
  /** Of which running script (ScriptDuration), ms. */
  scriptMs: number;
  /** Bytes of the page's live stream received in the window. */
  streamBytes: number;
  /** The page made an API request (a poll or the timeline's re-read) in the window. */
  polled: boolean;
}

interface Wire {
  /** Bytes received on the page's live stream so far. */
  bytes: () => number;
  /** API requests (anything but the stream) the page sent so far. */
  requests: () => number;
}

/** Watches the page's network (CDP Network events): its live stream's bytes and its other API requests. */
async function wire(page: Page, cdp: CDPSession): Promise<Wire> {
  const streams = new Set<string>();
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => {
    if (e.request.url.includes('/api/v1/stream')) streams.add(e.requestId);
    else if (e.request.url.includes('/api/')) requests++;
  });
  cdp.on('Network.dataReceived', (e: { requestId: string; dataLength: number }) => {
    if (streams.has(e.requestId)) bytes += e.dataLength;
  });
  await cdp.send('Network.enable');
  // The page's stream opened before Network was enabled: open it again so its request is seen.
  await page.reload();
  await page.waitForSelector('[data-testid="live-indicator"][data-state="live"]', { state: 'attached' });
  return { bytes: () => bytes, requests: () => requests };
}

async function measure(
  metric: () => Promise<MainThreadCounters>,
  net: Wire,
  kind: Kind,
  change: () => Promise<void>,
): Promise<Sample> {
  const m0 = await metric();
  const b0 = net.bytes();
  const r0 = net.requests();
  const started = Date.now();
  await change();
  await sleep(Math.max(0, WINDOW_MS - (Date.now() - started)));
  const m1 = await metric();
  return {
    kind,
    taskMs: m1.task - m0.task,
    scriptMs: m1.script - m0.script,
    streamBytes: net.bytes() - b0,
    polled: net.requests() > r0,
  };
}

/**
 * Main-thread time and stream bytes per change on one open rollout page, read from Chromium's own counters:
 * `rounds` × (pause, resume, a change of an object the page does not show, an idle window).
 */
export async function pageCost(lab: LabProcess, page: Page, rounds: number): Promise<Sample[]> {
  const counters = await mainThreadCounters(page);
  const { cdp } = counters;
  const net = await wire(page, cdp);
  const samples: Sample[] = [];
  for (let i = 0; i < rounds; i++) {
    samples.push(
      await measure(counters.read, net, 'pause', () =>
        patch(lab, PATHS.rollout, { spec: { paused: true } }).then(() => undefined),
      ),
    );
    await settled(lab, true);
    samples.push(
      await measure(counters.read, net, 'resume', () =>
        patch(lab, PATHS.rollout, { spec: { paused: false } }).then(() => undefined),
      ),
    );
    await settled(lab, false);
    samples.push(
      await measure(counters.read, net, 'unrelated', () =>
        patch(lab, PATHS.faults, { metadata: { annotations: { 'bench/touch': String(i) } } }).then(
          () => undefined,
        ),
      ),
    );
    samples.push(await measure(counters.read, net, 'idle', async () => undefined));
    log(`page cost: round ${i + 1} of ${rounds}`);
  }
  return samples;
}

function report(samples: Sample[]) {
  const of = (pick: (s: Sample) => boolean) => {
    const xs = samples.filter((s) => pick(s) && !s.polled);
    const stat = (v: number[]) => {
      const s = summary(v);
      return {
        p50: +s.p50Ms.toFixed(1),
        p95: +s.p95Ms.toFixed(1),
        mean: +mean(v).toFixed(1),
      };
    };
    return {
      n: xs.length,
      polled: samples.filter((s) => pick(s) && s.polled).length,
      taskMs: stat(xs.map((s) => s.taskMs)),
      scriptMs: stat(xs.map((s) => s.scriptMs)),
      streamBytes: stat(xs.map((s) => s.streamBytes)),
    };
  };
  return {
    changes: of((s) => s.kind !== 'idle'),
    pauseResume: of((s) => s.kind === 'pause' || s.kind === 'resume'),
    unrelated: of((s) => s.kind === 'unrelated'),
    idle: of((s) => s.kind === 'idle'),
  };
}

async function main(): Promise<void> {
  const rounds = Number(process.env.PAGE_COST_ROUNDS ?? 10);
  const stack = await startStack();
  const browser = await launchBrowser();
  try {
    await waitFor('demo/webapp Healthy', () => healthyAt(stack.lab, 'webapp:v1.0'), 90_000);
    const session = await Session.login(stack.url);
    const page = await openLivePage(browser, session, ROLLOUT_PAGE);
    const samples = await pageCost(stack.lab, page, rounds);
    process.stdout.write(
      `${JSON.stringify({ buildId: stack.buildId, windowMs: WINDOW_MS, ...report(samples) }, null, 2)}\n`,
    );
  } finally {
    await browser.close();
    await stack.stop();
  }
}

if (process.argv[1]?.endsWith('page-cost.ts'))
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
