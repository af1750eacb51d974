import type { CDPSession, Page } from '@playwright/test';

/** Chromium's renderer main-thread counters, ms since the page started: all tasks, and of them script, layout, style. */
export interface MainThreadCounters {
  task: number;
  script: number;
  layout: number;
  style: number;
}

/**
 * A CDP session on `page` with Chromium's performance counters in thread ticks (CDP Performance.getMetrics,
 * `timeDomain: threadTicks`): the durations are the main thread's CPU time, not wall time, so other processes
 * competing for the machine's cores do not count as the page's work. `read()` gives the counters now.
 */
export async function mainThreadCounters(
  page: Page,
): Promise<{ cdp: CDPSession; read: () => Promise<MainThreadCounters>; detach: () => Promise<void> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const read = async (): Promise<MainThreadCounters> => {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as {
      metrics: Array<{ name: string; value: number }>;
    };
    const v = (name: string) => (metrics.find((x) => x.name === name)?.value ?? Number.NaN) * 1000;
    return {
      task: v('TaskDuration'),
      script: v('ScriptDuration'),
      layout: v('LayoutDuration'),
      style: v('RecalcStyleDuration'),
    };
  };
  return { cdp, read, detach: () => cdp.detach().catch(() => undefined) };
}
