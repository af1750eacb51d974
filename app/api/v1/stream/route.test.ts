import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTimelineRecorder } from '@/server/audit/timeline-recorder';
import { sessionCookie } from '@/server/auth/testing/session';
import type { InformerRegistry } from '@/server/kube/registry';
import { rolloutObject, seedDemo, setRollout } from '@/server/kube/testing/demo-seed';
import { create, type LabKube, R, startLabKube } from '@/server/kube/testing/lab-kube';
import { startTestRuntime, type TestRuntime } from '@/server/runtime/testing/test-runtime';
import { sseReader } from '@/server/stream/testing/sse-reader';
import { GET } from './route';

let k: LabKube;
let reg: InformerRegistry;
let rt: TestRuntime;
const streamHub = () => rt.context().hub;
let cookie = '';

beforeAll(async () => {
  cookie = await sessionCookie('viewer');
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
  reg = rt.context().informers;
  expect(await reg.waitForSync(10_000)).toBe(true);
});
afterAll(async () => {
  await rt?.done();
  await k?.close();
});

function open(query: string, lastEventId?: string, as = cookie) {
  const ctl = new AbortController();
  const headers: Record<string, string> = lastEventId
    ? { 'last-event-id': lastEventId, cookie: as }
    : { cookie: as };
  const req = new Request(`http://cc.test/api/v1/stream${query}`, { headers, signal: ctl.signal });
  return { ctl, res: GET(req) };
}
const bumpStep = (i: number) =>
  k.lab.store.mutate(
    R.ro,
    'demo',
    'webapp',
    (o) => ({ ...o, status: { ...(o.status as object), currentStepIndex: i } }),
    {
      subresource: 'status',
    },
  );

describe('GET /api/v1/stream (SSE over the informers)', () => {
  let lastId = '';

  it('sends a filtered snapshot, then an update within 1 s of a change', async () => {
    const { ctl, res } = open('?namespace=demo&rollout=webapp');
    const r = await res;
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(r.headers.get('cache-control')).toMatch(/no-cache/);
    const s = sseReader(r);
    const snap = await s.until((m) => m.event === 'snapshot' && m.data.type === 'END');
    const rollouts = snap.filter((m) => m.event === 'rollout').map((m) => m.data.object.metadata.name);
    expect(rollouts).toEqual(['webapp']);
    expect(
      snap.some((m) => m.event === 'virtualservice' && m.data.object.metadata.name === 'webapp-vs'),
    ).toBe(true);
    expect(snap.some((m) => m.event === 'configmap')).toBe(true);
    expect(snap.at(-1)?.id).toMatch(/^\d+$/);
    const status = await s.until((m) => m.event === 'status');
    expect(status.at(-1)?.data.object).toMatchObject({ kind: 'Connectivity', connected: true });

    // Delivered while the stream is open (the latency is measured by npm run bench:ui, not asserted here).
    bumpStep(2);
    const upd = await s.until((m) => m.event === 'rollout', 10_000);
    const msg = upd.at(-1);
    expect(msg?.data).toMatchObject({ type: 'MODIFIED', object: { status: { currentStepIndex: 2 } } });
    expect(Number(msg?.id)).toBeGreaterThan(Number(snap.at(-1)?.id));
    lastId = msg?.id ?? '';
    // another rollout's change is not on this page's stream
    k.lab.store.mutate(R.ro, 'demo', 'other', (o) => ({
      ...o,
      metadata: { ...o.metadata, labels: { x: '1' } },
    }));
    bumpStep(3);
    const next = await s.until((m) => m.event === 'rollout', 10_000);
    expect(next.at(-1)?.data.object.metadata.name).toBe('webapp');
    ctl.abort();
    await s.cancel();
  });

  it('resumes from Last-Event-ID with the events missed, without a snapshot', async () => {
    bumpStep(4);
    // Missed for real: the hub holds step 4 before the client comes back.
    const hasStep4 = () =>
      streamHub()
        .since(Number(lastId))
        ?.some(
          (e) => (e.object as { status?: { currentStepIndex?: number } }).status?.currentStepIndex === 4,
        );
    for (const end = Date.now() + 10_000; !hasStep4(); await new Promise((r) => setTimeout(r, 20)))
      if (Date.now() > end) throw new Error('the hub never got the step-4 change');
    const { ctl, res } = open('?namespace=demo&rollout=webapp', lastId);
    const s = sseReader(await res);
    const got = await s.until(
      (m) => m.event === 'rollout' && m.data.object.status.currentStepIndex === 4,
      10_000,
    );
    expect(got.some((m) => m.event === 'snapshot')).toBe(false);
    const steps = got.filter((m) => m.event === 'rollout').map((m) => m.data.object.status.currentStepIndex);
    expect(steps).toEqual([3, 4]);
    const ids = got.filter((m) => m.id).map((m) => Number(m.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    ctl.abort();
    await s.cancel();
  });

  it('falls back to a snapshot when the id is older than the ring, and 422 for a bad id or filter', async () => {
    const { ctl, res } = open('?namespace=demo', '1');
    const s = sseReader(await res);
    const got = await s.until((m) => m.event === 'snapshot' && m.data.type === 'END');
    expect(got.find((m) => m.event === 'snapshot')?.data.object).toEqual({ resumed: true });
    expect(
      got
        .filter((m) => m.event === 'rollout')
        .map((m) => m.data.object.metadata.name)
        .sort(),
    ).toEqual(['other', 'webapp']);
    ctl.abort();
    await s.cancel();
    expect((await open('?namespace=Not_Valid').res).status).toBe(422);
    const bad = await open('', 'abc').res;
    expect(bad.status).toBe(422);
    expect(
      ((await bad.json()) as { error: { details: Array<{ field: string }> } }).error.details[0]?.field,
    ).toBe('lastEventId');
  });
});

describe('GET /api/v1/stream?shape=view (the rollout page as deltas)', () => {
  const VIEW = '?namespace=demo&rollout=webapp&shape=view';
  let pageId = '';

  it('sends the page once, then only the fields that changed, and nothing for changes that do not touch it', async () => {
    const { ctl, res } = open(VIEW);
    const s = sseReader(await res);
    const first = await s.until((m) => m.event === 'status');
    const snap = first.find((m) => m.event === 'page');
    expect(snap?.data).toMatchObject({
      type: 'SNAPSHOT',
      key: 'demo/webapp',
      page: { view: { name: 'webapp' } },
    });
    expect(first.some((m) => m.event === 'rollout' || m.event === 'configmap')).toBe(false);
    const rev = snap?.data.rev as number;

    // Another rollout's change moves nothing on this page; the next change of its own comes as a delta.
    k.lab.store.mutate(R.ro, 'demo', 'other', (o) => ({
      ...o,
      metadata: { ...o.metadata, labels: { y: '2' } },
    }));
    bumpStep(3);
    const got = await s.until((m) => m.event === 'page' && m.data.patch?.view?.step?.index === 3, 10_000);
    const deltas = got.filter((m) => m.event === 'page');
    expect(deltas).toHaveLength(1);
    const d = deltas[0]?.data;
    expect(d).toMatchObject({ type: 'DELTA', key: 'demo/webapp', base: rev });
    expect(d.patch.view.name).toBeUndefined(); // unchanged fields stay home
    expect(d.patch.events === undefined || Array.isArray(d.patch.events)).toBe(true);
    expect(deltas[0]?.id).toBe(String(d.rev));
    pageId = deltas[0]?.id ?? '';
    ctl.abort();
    await s.cancel();
  });

  it('computes a page once per change however many streams show it', async () => {
    const pages = rt.context().pages;
    const seen: unknown[] = [];
    const a = pages.open('demo', 'webapp', (d) => seen.push(d));
    const b = pages.open('demo', 'webapp', (d) => seen.push(d));
    expect(pages.size).toBe(1);
    bumpStep(4);
    for (const end = Date.now() + 10_000; seen.length < 2; await new Promise((r) => setTimeout(r, 20)))
      if (Date.now() > end) throw new Error('no delta for the step-4 change');
    expect(seen[0]).toBe(seen[1]);
    a.off();
    b.off();
    expect(pages.size).toBe(0);
  });

  it('resumes with only the revision while the page is unchanged, with one after it changed, and refuses a view without a rollout', async () => {
    const before = rt.context().pages;
    const held = before.open('demo', 'webapp', () => undefined);
    const quiet = open(VIEW, String(held.rev));
    const sq = sseReader(await quiet.res);
    const q = await sq.until((m) => m.event === 'status');
    expect(q.filter((m) => m.event === 'page').map((m) => m.data)).toEqual([
      { type: 'UNCHANGED', key: 'demo/webapp', rev: held.rev },
    ]);
    quiet.ctl.abort();
    await sq.cancel();
    held.off();

    const again = open(VIEW, pageId);
    const sa = sseReader(await again.res);
    const a = await sa.until((m) => m.event === 'status');
    expect(a.find((m) => m.event === 'page')?.data).toMatchObject({
      type: 'SNAPSHOT',
      page: { view: { step: { index: 4 } } },
    });
    again.ctl.abort();
    await sa.cancel();

    const bad = await open('?namespace=demo&shape=view').res;
    expect(bad.status).toBe(422);
    expect(
      ((await bad.json()) as { error: { details: Array<{ field: string }> } }).error.details[0]?.field,
    ).toBe('shape');
  });

  it("carries a change's timeline entries in its delta, keyed as the recorder stores them; a later stream's snapshot has them", async () => {
    // The recorder, as the server runs it, on the same informers.
    const stopRecorder = startTimelineRecorder(reg, rt.context().timeline);
    const { ctl, res } = open(VIEW);
    const s = sseReader(await res);
    await s.until((m) => m.event === 'status');
    k.lab.store.mutate(
      R.ro,
      'demo',
      'webapp',
      (o) => ({
        ...o,
        status: { ...(o.status as object), currentStepIndex: 5, phase: 'Paused' },
      }),
      { subresource: 'status' },
    );
    const got = await s.until((m) => m.event === 'page' && m.data.patch?.added?.length > 0, 10_000);
    const added = got.find((m) => m.event === 'page' && m.data.patch?.added)?.data.patch.added as Array<{
      key: string;
      kind: string;
      summary: string;
    }>;
    // Newest first, as the store reads one change's entries back (equal times: the later written first).
    expect(added.map((e) => [e.kind, e.summary])).toEqual([
      ['phase', 'Paused'],
      ['step', expect.stringMatching(/^(step 6\/|all \d+ steps done)/)],
    ]);
    // A page opened while this one is open shares its projection: its snapshot has the entries.
    const later = open(VIEW);
    const sl = sseReader(await later.res);
    const snap = (await sl.until((m) => m.event === 'status')).find((m) => m.event === 'page')?.data;
    expect(snap.page.recent.map((e: { key: string }) => e.key)).toEqual(added.map((e) => e.key));
    for (const [c, r] of [
      [ctl, s],
      [later.ctl, sl],
    ] as const) {
      c.abort();
      await r.cancel();
    }
    // The recorder derived the same entries from the same informer event: the stored timeline has these keys.
    const timeline = rt.context().timeline;
    for (const end = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 50))) {
      const stored = new Set((await timeline.list('demo', 'webapp')).map((e) => e.key));
      if (added.every((e) => stored.has(e.key))) break;
      if (Date.now() > end) throw new Error(`not stored: ${added.map((e) => e.key).join(', ')}`);
    }
    stopRecorder();
  });
});

describe('GET /api/v1/stream: caps and redaction', () => {
  it('refuses the 9th stream of one user with 429 saying how many are open and the cap; a closed one frees its slot', async () => {
    const held = Array.from({ length: 8 }, () => open('?namespace=demo'));
    const readers = [];
    for (const h of held) {
      const r = await h.res;
      expect(r.status).toBe(200);
      readers.push(sseReader(r));
    }
    const over = await open('?namespace=demo').res;
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('30');
    const body = (await over.json()) as { error: { code: string; message: string } };
    expect(body.error).toEqual({
      code: 'too_many_streams',
      message:
        'too many live streams: you have 8 open, at most 8 per user; close other tabs of the control center and retry',
    });
    // Another user is not held back by this one.
    const other = open('?namespace=demo', undefined, await sessionCookie('admin'));
    expect((await other.res).status).toBe(200);
    other.ctl.abort();
    // The first streams still deliver events.
    bumpStep(6);
    await readers[0]?.until(
      (m) => m.event === 'rollout' && m.data.object.status?.currentStepIndex === 6,
      10_000,
    );
    held[0]?.ctl.abort();
    const again = open('?namespace=demo');
    expect((await again.res).status).toBe(200);
    for (const h of [...held, again]) h.ctl.abort();
  });

  it('sends env values, envFrom and the last-applied annotation to admins only', async () => {
    const SECRET = 'pg-password-9d2e1b';
    k.lab.store.mutate(R.ro, 'demo', 'webapp', (o) => {
      const spec = o.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } };
      const [c, ...rest] = spec.template.spec.containers;
      return {
        ...o,
        metadata: {
          ...o.metadata,
          annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `{"password":"${SECRET}"}` },
        },
        spec: {
          ...spec,
          template: {
            ...spec.template,
            spec: {
              ...spec.template.spec,
              containers: [{ ...c, env: [{ name: 'DB_PASSWORD', value: SECRET }] }, ...rest],
            },
          },
        },
      };
    });
    const read = async (as: string) => {
      const { ctl, res } = open('?namespace=demo&rollout=webapp', undefined, as);
      const r = await res;
      const chunks: string[] = [];
      const reader = r.body?.getReader();
      const decoder = new TextDecoder();
      // Up to the first rollout event carrying the env var (snapshot or live: the informer may lag the store).
      for (const end = Date.now() + 10_000; Date.now() < end; ) {
        const { value, done } = (await reader?.read()) ?? { done: true, value: undefined };
        if (done) break;
        chunks.push(decoder.decode(value, { stream: true }));
        if (chunks.join('').includes('DB_PASSWORD')) break;
      }
      ctl.abort();
      await reader?.cancel().catch(() => undefined);
      return chunks.join('');
    };
    const asViewer = await read(cookie);
    expect(asViewer).toContain('"env":[{"name":"DB_PASSWORD"}]');
    expect(asViewer).not.toContain(SECRET);
    expect(asViewer).not.toContain('last-applied-configuration');
    const asAdmin = await read(await sessionCookie('admin'));
    expect(asAdmin).toContain(SECRET);
  });
});
