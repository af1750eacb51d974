import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, type Started, startProcess, waitForHttp } from './processes';
import { requireTool } from './tools';

export interface TestPrometheus {
  url: string;
  stop: () => Promise<void>;
  process: Started;
}

/** A real Prometheus (Debian's package) on a free port with its own storage, scraping `targets` every second. */
export async function startTestPrometheus(
  targets: Array<{ job: string; hostPort: string }>,
): Promise<TestPrometheus> {
  const dir = mkdtempSync(path.join(tmpdir(), 'prom-'));
  const port = await freePort();
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    scrape_configs: targets.map((t) => ({ job_name: t.job, static_configs: [{ targets: [t.hostPort] }] })),
  };
  writeFileSync(path.join(dir, 'prometheus.yml'), JSON.stringify(config));
  const proc = startProcess(requireTool('prometheus'), [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/-/ready`, 30_000);
  } catch (err) {
    await proc.stop();
    throw new Error(`${(err as Error).message}\n${proc.output()}`);
  }
  await waitForTargetsUp(url, targets.length, 30_000);
  return { url, stop: proc.stop, process: proc };
}

/** Prometheus hands new targets to its scrapers after ~5 s: wait until every target has been scraped once. */
async function waitForTargetsUp(url: string, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/api/v1/query?query=up`).catch(() => null);
    const body = res?.ok ? ((await res.json()) as { data?: { result?: unknown[] } }) : null;
    if ((body?.data?.result?.length ?? 0) >= count) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Prometheus at ${url} did not scrape its ${count} target(s) within ${timeoutMs} ms`);
}

/** The newest scrape time (s) of every target, from `timestamp(up)`: one series per job and instance. */
async function lastScrapes(promUrl: string, job?: string): Promise<Map<string, number>> {
  const selector = job ? `up{job=${JSON.stringify(job)}}` : 'up';
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(`timestamp(${selector})`)}`, {
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`Prometheus query timestamp(${selector}) failed: HTTP ${res.status}`);
  const body = (await res.json()) as {
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  return new Map(
    body.data.result.map((r) => [`${r.metric.job}/${r.metric.instance}`, Number(r.value[1])] as const),
  );
}

/**
 * Waits until Prometheus has scraped every target (of `job`, or all) `scrapes` more times, each scrape starting after
 * this call: it polls the targets' newest scrape timestamp (`timestamp(up)`) until it has advanced that often. So
 * whatever happened before the call is in Prometheus when it returns. Fails loudly after `timeoutMs`, naming the
 * targets that did not advance.
 */
export async function waitForScrapes(
  promUrl: string,
  scrapes = 1,
  opts: { job?: string; timeoutMs?: number } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 10_000 + scrapes * 5_000;
  const deadline = Date.now() + timeoutMs;
  const calledAt = Date.now() / 1000;
  const targets = await lastScrapes(promUrl, opts.job);
  if (targets.size === 0)
    throw new Error(`Prometheus at ${promUrl} has no targets${opts.job ? ` for job ${opts.job}` : ''}`);
  // After the loop below, seen[t] is the start time of the newest counted scrape of target t.
  const seen = new Map<string, number>([...targets.keys()].map((t) => [t, calledAt]));
  const counted = new Map<string, number>([...targets.keys()].map((t) => [t, 0]));
  for (;;) {
    const now = await lastScrapes(promUrl, opts.job);
    for (const [t, ts] of now) {
      const prev = seen.get(t);
      if (prev !== undefined && ts > prev) {
        seen.set(t, ts);
        counted.set(t, (counted.get(t) ?? 0) + 1);
      }
    }
    // A target gone since the call (a pod deleted) has nothing more to scrape.
    const behind = [...counted].filter(([t, n]) => n < scrapes && now.has(t));
    if (behind.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `Prometheus at ${promUrl}: after ${timeoutMs} ms these targets had fewer than ${scrapes} new scrape(s): ${behind
          .map(([t, n]) => `${t} (${n}, newest at ${new Date((seen.get(t) ?? 0) * 1000).toISOString()})`)
          .join(', ')}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}
