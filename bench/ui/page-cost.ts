import type { CDPSession, Page } from '@playwright/test';
import { PATHS, patch } from '../../server/lab/e2e/kube-objects';
import type { LabProcess } from '../../server/lab/e2e/lab-process';
import { sleep } from '../../server/lab/e2e/wait';
import { launchBrowser, openLivePage, Session } from './browser';
import { ROLLOUT_PAGE, settled } from './latency';
import { log, startStack } from './stack';
import { summary } from './stats';

/** How long after a change its work is counted: the page shows it, the controller's status writes land, the
 * stored timeline is read again (800 ms after the change) and drawn. The same window with no change is the idle cost. */
const WINDOW_MS = 2500;

type Kind = 'pause' | 'resume' | 'unrelated' | 'idle';

interface Sample {
  kind: Kind;
  /** Chromium's main-thread task time (Performance.getMetrics TaskDuration) in the window, ms. */
  taskMs: number;
  /** Of which running script (ScriptDuration), ms. */
  scriptMs: number;
  /** Bytes of the page's live stream received in the window. */
  streamBytes: number;
}

const metric = async (cdp: CDPSession): Promise<Record<string, number>> => {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: Array<{ name: string; value: number }>;
  };
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
};

/** Counts the bytes the page receives on its live stream (CDP Network events of `/api/v1/stream`). */
async function streamBytes(page: Page, cdp: CDPSession): Promise<() => number> {
  const streams = new Set<string>();
  let bytes = 0;
  cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => {
    if (e.request.url.includes('/api/v1/stream')) streams.add(e.requestId);
  });
  cdp.on('Network.dataReceived', (e: { requestId: string; dataLength: number }) => {
    if (streams.has(e.requestId)) bytes += e.dataLength;
  });
  await cdp.send('Network.enable');
  // The page's stream opened before Network was enabled: open it again so its request is seen.
  await page.reload();
  await page.waitForSelector('[data-testid="live-indicator"][data-state="live"]', { state: 'attached' });
  return () => bytes;
}

async function measure(
  cdp: CDPSession,
  bytes: () => number,
  kind: Kind,
  change: () => Promise<void>,
): Promise<Sample> {
  const m0 = await metric(cdp);
  const b0 = bytes();
  const started = Date.now();
  await change();
  await sleep(Math.max(0, WINDOW_MS - (Date.now() - started)));
  const m1 = await metric(cdp);
  return {
    kind,
    taskMs: ((m1.TaskDuration ?? 0) - (m0.TaskDuration ?? 0)) * 1000,
    scriptMs: ((m1.ScriptDuration ?? 0) - (m0.ScriptDuration ?? 0)) * 1000,
    streamBytes: bytes() - b0,
  };
}

/**
 * Main-thread time and stream bytes per change on one open rollout page, read from Chromium's own counters:
 * `rounds` × (pause, resume, a change of an object the page does not show, an idle window).
 */
export async function pageCost(lab: LabProcess, page: Page, rounds: number): Promise<Sample[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const bytes = await streamBytes(page, cdp);
  const samples: Sample[] = [];
  for (let i = 0; i < rounds; i++) {
    samples.push(
      await measure(cdp, bytes, 'pause', () =>
        patch(lab, PATHS.rollout, { spec: { paused: true } }).then(() => undefined),
      ),
    );
    await settled(lab, true);
    samples.push(
      await measure(cdp, bytes, 'resume', () =>
        patch(lab, PATHS.rollout, { spec: { paused: false } }).then(() => undefined),
      ),
    );
    await settled(lab, false);
    samples.push(
      await measure(cdp, bytes, 'unrelated', () =>
        patch(lab, PATHS.faults, { metadata: { annotations: { 'bench/touch': String(i) } } }).then(
          () => undefined,
        ),
      ),
    );
    samples.push(await measure(cdp, bytes, 'idle', async () => undefined));
    log(`page cost: round ${i + 1} of ${rounds}`);
  }
  return samples;
}

function report(samples: Sample[]) {
  const of = (pick: (s: Sample) => boolean) => {
    const xs = samples.filter(pick);
    const stat = (v: number[]) => {
      const s = summary(v);
      return {
        p50: +s.p50Ms.toFixed(1),
        p95: +s.p95Ms.toFixed(1),
        mean: +(v.reduce((a, b) => a + b, 0) / v.length).toFixed(1),
      };
    };
    return {
      n: xs.length,
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
