import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, type Started, startProcess, waitForHttp } from './processes';

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
  const proc = startProcess('prometheus', [
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

/** Waits until Prometheus has scraped every target at least `scrapes` more times (its `up` series advanced). */
export async function waitForScrapes(promUrl: string, seconds: number): Promise<void> {
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const res = await fetch(`${promUrl}/api/v1/query?query=up`);
  if (!res.ok) throw new Error(`Prometheus query failed: HTTP ${res.status}`);
}
