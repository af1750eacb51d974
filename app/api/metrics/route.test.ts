import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InformerRegistry } from '@/server/kube/registry';
import { rolloutObject, seedDemo } from '@/server/kube/testing/demo-seed';
import { create, type LabKube, startLabKube } from '@/server/kube/testing/lab-kube';
import { startTestRuntime, type TestRuntime } from '@/server/runtime/testing/test-runtime';
import type { StreamHub } from '@/server/stream/hub';
import { GET } from './route';

const TOKEN = 'metrics-token-for-tests-0123456789';
let k: LabKube;
let reg: InformerRegistry;
let hub: StreamHub;
let rt: TestRuntime;

beforeAll(async () => {
  process.env.METRICS_TOKEN = TOKEN;
  k = await startLabKube();
  process.env.KUBECONFIG = k.lab.kubeconfig;
  seedDemo(k.lab);
  create(k.lab, 'rollouts', rolloutObject('v1.0'));
  rt = startTestRuntime({ kc: k.kc });
  reg = rt.context().informers;
  expect(await reg.waitForSync(10_000)).toBe(true);
  hub = rt.context().hub;
});
afterAll(async () => {
  await rt?.done();
  await k?.close();
});

const scrape = (auth: string | null = `Bearer ${TOKEN}`) =>
  GET(new Request('http://localhost/api/metrics', { headers: auth ? { authorization: auth } : {} }));

/** The value of one sample line of the text format, e.g. `name{a="b"}`. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /api/metrics', () => {
  it('refuses a scrape without the bearer token or with a wrong one', async () => {
    for (const auth of [null, 'Bearer nope', `Basic ${TOKEN}`]) {
      const res = await scrape(auth);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        'send Authorization: Bearer <METRICS_TOKEN>',
      );
    }
  });

  it('serves the process metrics and the informer caches and streams of the real lab, in the text format', async () => {
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sample(text, 'control_center_process_resident_memory_bytes')).toBeGreaterThan(10 * 2 ** 20);
    const ctx = `context="${k.kc.getCurrentContext()}"`;
    expect(sample(text, `control_center_informer_objects{${ctx},kind="rollout"}`)).toBe(1);
    expect(sample(text, `control_center_informer_objects{${ctx},kind="virtualservice"}`)).toBe(1);
    expect(sample(text, `control_center_informer_connected{${ctx},kind="rollout"}`)).toBe(1);
    expect(sample(text, `control_center_informer_synced{${ctx}}`)).toBe(1);
    expect(sample(text, `control_center_stream_clients{${ctx}}`)).toBe(0);

    // A second rollout and one attached stream show at the next scrape.
    create(k.lab, 'rollouts', { ...rolloutObject('v1.1'), metadata: { name: 'api', namespace: 'demo' } });
    const off = hub.subscribe(() => {});
    const end = Date.now() + 5000;
    let next = '';
    do {
      next = await (await scrape()).text();
      if (sample(next, `control_center_informer_objects{${ctx},kind="rollout"}`) === 2) break;
      await new Promise((r) => setTimeout(r, 50));
    } while (Date.now() < end);
    off();
    expect(sample(next, `control_center_informer_objects{${ctx},kind="rollout"}`)).toBe(2);
    expect(sample(next, `control_center_stream_clients{${ctx}}`)).toBe(1);
  });
});
