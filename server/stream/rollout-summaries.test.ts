import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SummaryDelta } from '@/lib/overview/summary-stream';
import { streamQuerySchema } from '@/lib/schemas/actions';
import { rolloutObject, seedDemo, setRollout } from '@/server/kube/testing/demo-seed';
import { create, type LabKube, R, startLabKube } from '@/server/kube/testing/lab-kube';
import { startTestRuntime, type TestRuntime } from '@/server/runtime/testing/test-runtime';
import { sseResponse } from './sse';
import { type SseMessage, sseReader } from './testing/sse-reader';

let k: LabKube;
let rt: TestRuntime;
const hub = () => rt.context().hub;

beforeAll(async () => {
  k = await startLabKube();
  seedDemo(k.lab);
  setRollout(k.lab, 'v1.1', {
    phase: 'Progressing',
    stableRS: 'h1',
    currentPodHash: 'h2',
    currentStepIndex: 1,
  });
  create(k.lab, 'rollouts', { ...rolloutObject('v1.0'), metadata: { name: 'other', namespace: 'demo' } });
  rt = startTestRuntime({ kc: k.kc });
  expect(await rt.context().informers.waitForSync(10_000)).toBe(true);
});
afterAll(async () => {
  await rt?.done();
  await k?.close();
});

function open(lastEventId?: string) {
  const ctl = new AbortController();
  const res = sseResponse(rt.context(), {
    filter: {},
    shape: 'summary',
    lastEventId,
    signal: ctl.signal,
    role: 'viewer',
  });
  return { ctl, s: sseReader(res) };
}
const step = (name: string, i: number) =>
  k.lab.store.mutate(
    R.ro,
    'demo',
    name,
    (o) => ({ ...o, status: { ...(o.status as object), currentStepIndex: i } }),
    { subresource: 'status' },
  );
const summaries = (ms: SseMessage[]) => ms.filter((m) => m.event === 'summary').map((m) => m.data);
const isStep = (name: string, i: number) => (m: SseMessage) =>
  m.event === 'summary' &&
  m.data.type === 'DELTA' &&
  m.data.upsert.some(
    (r: { name: string; step: { index: number } | null }) => r.name === name && r.step?.index === i,
  );

describe('the overview rows as deltas (shape=summary)', () => {
  let resumeAt = '';

  it('sends every row once, then per change only the rows it changed, and nothing for a change no row shows', async () => {
    const { ctl, s } = open();
    const first = await s.until((m) => m.event === 'status');
    const [snap] = summaries(first);
    expect(snap.type).toBe('SNAPSHOT');
    expect(snap.rows.map((r: { name: string }) => r.name).sort()).toEqual(['other', 'webapp']);
    expect(snap.rows.find((r: { name: string }) => r.name === 'webapp')).toMatchObject({
      namespace: 'demo',
      phase: 'Progressing',
      canaryImage: 'webapp:v1.1',
    });
    expect(first.some((m) => m.event === 'rollout' || m.event === 'snapshot')).toBe(false);

    // A label is in no row, a ConfigMap and an Event are in no row: no delta. Then a step of webapp: webapp's row only.
    k.lab.store.mutate(R.ro, 'demo', 'other', (o) => ({
      ...o,
      metadata: { ...o.metadata, labels: { y: '2' } },
    }));
    k.lab.store.mutate(R.cm, 'demo', 'webapp-faults', (o) => ({ ...o, data: { note: 'x' } }));
    step('webapp', 3);
    const got = await s.until(isStep('webapp', 3), 10_000);
    const deltas = summaries(got);
    expect(deltas).toHaveLength(1);
    const d = deltas[0] as SummaryDelta;
    expect(d).toMatchObject({ type: 'DELTA', base: snap.rev, remove: [] });
    expect(d.upsert.map((r) => r.name)).toEqual(['webapp']);
    expect(got.at(-1)?.id).toBe(String(d.rev));
    resumeAt = got.at(-1)?.id ?? '';

    // A new Rollout comes as an upsert of its key, a deleted one as a remove.
    create(k.lab, 'rollouts', { ...rolloutObject('v1.0'), metadata: { name: 'third', namespace: 'demo' } });
    const added = await s.until(
      (m) => m.event === 'summary' && m.data.upsert?.some((r: { name: string }) => r.name === 'third'),
      10_000,
    );
    expect(summaries(added).at(-1)).toMatchObject({ base: d.rev });
    k.lab.store.delete(R.ro, 'demo', 'third');
    const removed = await s.until(
      (m) => m.event === 'summary' && m.data.remove?.includes('demo/third'),
      10_000,
    );
    expect(summaries(removed).at(-1)?.upsert).toEqual([]);
    ctl.abort();
    await s.cancel();
  });

  it('projects a change once however many overview streams are open', async () => {
    const rows = rt.context().summaries;
    const seen: SummaryDelta[] = [];
    const a = rows.open(undefined, (d) => seen.push(d));
    const b = rows.open(undefined, (d) => seen.push(d));
    step('other', 1);
    for (const end = Date.now() + 10_000; seen.length < 2; await new Promise((r) => setTimeout(r, 20)))
      if (Date.now() > end) throw new Error('no delta for the step of demo/other');
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]?.upsert.map((r) => r.name)).toEqual(['other']);
    a.off();
    b.off();
  });

  it("gives the page's first screen from the projection: the first rows attention first, the counts, once per change", async () => {
    const rows = rt.context().summaries;
    const seen: SummaryDelta[] = [];
    const held = rows.open(undefined, (d) => seen.push(d));
    const phase = (p: string) =>
      k.lab.store.mutate(
        R.ro,
        'demo',
        'webapp',
        (o) => ({ ...o, status: { ...(o.status as object), phase: p } }),
        {
          subresource: 'status',
        },
      );
    const until = async (what: string, ok: () => boolean) => {
      for (const end = Date.now() + 10_000; !ok(); await new Promise((r) => setTimeout(r, 20)))
        if (Date.now() > end) throw new Error(`never: ${what}`);
    };
    // By name "other" goes first; a Degraded webapp asks for a human and goes before it.
    phase('Degraded');
    await until('webapp degraded in a delta', () =>
      seen.some((d) => d.upsert.some((r) => r.phase === 'Degraded')),
    );
    const one = rows.firstScreen(1);
    expect(one.rows.map((r) => r.name)).toEqual(['webapp']);
    expect(one).toMatchObject({ total: 2, attention: 1 });
    expect(rows.firstScreen(1) === one).toBe(true);
    expect(rows.firstScreen(10).rows.map((r) => r.name)).toEqual(['webapp', 'other']);

    phase('Healthy');
    await until('the first screen without webapp degraded', () => rows.firstScreen(1).attention === 0);
    expect(rows.firstScreen(1).rows.map((r) => r.name)).toEqual(['other']);
    held.off();
  });

  it('resumes with the deltas missed, with UNCHANGED when none, and with a snapshot for an id it cannot place', async () => {
    const held = rt.context().summaries.open(undefined, () => undefined);
    const missed = open(resumeAt);
    const m = summaries(await missed.s.until((x) => x.event === 'status'));
    expect(m.length).toBeGreaterThanOrEqual(3); // third added, third removed, other's step
    expect(m.every((x) => x.type === 'DELTA')).toBe(true);
    expect(m[0].base).toBeLessThanOrEqual(Number(resumeAt));
    const last = m.at(-1) as SummaryDelta;
    missed.ctl.abort();
    await missed.s.cancel();

    const quiet = open(String(last.rev));
    expect(summaries(await quiet.s.until((x) => x.event === 'status'))).toEqual([
      { type: 'UNCHANGED', rev: last.rev },
    ]);
    quiet.ctl.abort();
    await quiet.s.cancel();

    const future = open(String(hub().currentSeq + 1000));
    expect(summaries(await future.s.until((x) => x.event === 'status'))[0]).toMatchObject({
      type: 'SNAPSHOT',
    });
    future.ctl.abort();
    await future.s.cancel();
    held.off();
  });

  it('refuses a summary stream narrowed to a namespace or a rollout, naming the field', () => {
    for (const q of [
      { shape: 'summary', namespace: 'demo' },
      { shape: 'summary', rollout: 'webapp' },
    ]) {
      const r = streamQuerySchema.safeParse(q);
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(['shape']);
    }
    expect(streamQuerySchema.safeParse({ shape: 'summary' }).success).toBe(true);
  });
});
