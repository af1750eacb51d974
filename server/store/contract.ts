import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEEP_EXPIRED_MS } from './session-rows';
import type { ActionRecord, ControlCenterStore, TimelineEntry, TimelineScope } from './types';
import { SINGLE_SCOPE } from './types';

/**
 * The behaviour every ControlCenterStore must have, run against a real database by each implementation's test
 * (`storeContract('sqlite', () => …)`). One store serves the whole suite: each case writes under names of its own
 * (namespace, user), so cases do not see each other's rows.
 */
export function storeContract(name: string, makeStore: () => Promise<ControlCenterStore>): void {
  describe(`${name} store contract`, () => {
    let s: ControlCenterStore;
    beforeAll(async () => {
      s = await makeStore();
      await s.migrate();
    });
    afterAll(async () => {
      await s?.close();
    });

    const q = (over: Partial<Parameters<ControlCenterStore['queryAudit']>[0]>) =>
      s.queryAudit({ limit: 1000, format: 'json', ...over });

    it('migrates again without changing anything and answers a ping', async () => {
      await s.migrate();
      await s.ping();
      expect(await q({ namespace: 'ns-none' })).toEqual([]);
    });

    it('an intent row is pending until its outcome completes it; the outcome goes to the timeline', async () => {
      const rec = action({
        namespace: 'ns-intent',
        body: { reason: 'go', nested: { list: [1, 'two', null] } },
      });
      const id = await s.beginAction(rec);
      expect(typeof id).toBe('number');
      const [pending] = await q({ namespace: 'ns-intent' });
      expect(pending).toMatchObject({
        id,
        at: rec.at,
        subject: 'local:alice',
        actor: 'alice',
        role: 'operator',
        action: 'promote',
        context: '',
        namespace: 'ns-intent',
        rollout: 'webapp',
        request: { reason: 'go', nested: { list: [1, 'two', null] } },
        patch: null,
        target: null,
        status: 0,
        error: null,
        count: 1,
      });
      expect(await s.listTimeline(SINGLE_SCOPE, 'ns-intent', 'webapp')).toEqual([]);
      const patches = [
        { target: '/status' as const, method: 'PATCH' as const, type: 'merge' as const, patch: { a: 1 } },
      ];
      await s.completeAction(
        id,
        { ...rec, outcome: { result: {}, patch: { a: 1 }, target: '/status', patches } },
        SINGLE_SCOPE,
      );
      const [done] = await q({ namespace: 'ns-intent' });
      expect(done).toMatchObject({ id, status: 200, patch: patches, target: '/status', error: null });
      const timeline = await s.listTimeline(SINGLE_SCOPE, 'ns-intent', 'webapp');
      expect(timeline).toHaveLength(1);
      expect(timeline[0]).toMatchObject({
        key: `action/ns-intent/webapp/${rec.at}/promote`,
        kind: 'action',
        source: 'user',
        summary: 'alice promoted webapp (/status: {"a":1})',
        details: { actor: 'alice', subject: 'local:alice', action: 'promote', patch: patches, error: null },
      });
    });

    it('a failed action keeps its error and is told as a refusal in the timeline of its scope', async () => {
      const rec = action({ namespace: 'ns-fail', context: 'prod' });
      const scope: TimelineScope = { context: 'prod', readsUntagged: true };
      const id = await s.beginAction(rec);
      await s.completeAction(
        id,
        { ...rec, error: { status: 409, code: 'conflict', message: 'not paused' } },
        scope,
      );
      const [row] = await q({ namespace: 'ns-fail' });
      expect(row).toMatchObject({
        id,
        status: 409,
        error: 'conflict: not paused',
        context: 'prod',
        patch: null,
      });
      expect((await s.listTimeline(scope, 'ns-fail', 'webapp')).map((e) => e.summary)).toEqual([
        'alice tried to promote: refused (409 not paused)',
      ]);
      expect(await s.listTimeline(SINGLE_SCOPE, 'ns-fail', 'webapp')).toEqual([]);
    });

    it('a refusal row: audit only, its count set later; big bodies are cut to their start', async () => {
      const big = { text: 'x'.repeat(5000) };
      const id = await s.logAction(
        action({
          namespace: 'ns-refused',
          body: big,
          timeline: false,
          error: { status: 403, code: 'forbidden', message: 'read-only' },
        }),
        SINGLE_SCOPE,
      );
      await s.setActionCount(id, 50);
      const [row] = await q({ namespace: 'ns-refused' });
      expect(row).toMatchObject({ id, status: 403, count: 50, error: 'forbidden: read-only' });
      expect(row?.request).toEqual({ truncated: true, start: JSON.stringify(big).slice(0, 4096) });
      expect(await s.listTimeline(SINGLE_SCOPE, 'ns-refused', 'webapp')).toEqual([]);
    });

    it('a NUL character in any text is stored as U+FFFD (PostgreSQL text refuses NUL); JSON keeps it escaped', async () => {
      const nul = '\u0000';
      const id = await s.logAction(
        action({
          namespace: 'ns-nul',
          name: `x${nul}y`,
          actor: `al${nul}ice`,
          body: { path: `/api/v1/rollouts/ns-nul/x${nul}y` },
          error: { status: 404, code: 'not_found', message: `no rollout x${nul}y` },
        }),
        SINGLE_SCOPE,
      );
      const [row] = await q({ namespace: 'ns-nul' });
      expect(row).toMatchObject({
        id,
        rollout: 'x\uFFFDy',
        actor: 'al\uFFFDice',
        error: 'not_found: no rollout x\uFFFDy',
        request: { path: `/api/v1/rollouts/ns-nul/x${nul}y` },
      });
      const event: TimelineEntry = {
        ...entry('ns-nul', `event/a${nul}b`, '2026-01-01T10:00:01.000Z'),
        summary: `Warning: probe ${nul} failed`,
        details: { message: `m${nul}` },
      };
      expect(await s.addTimeline(SINGLE_SCOPE, [event])).toBe(1);
      const timeline = await s.listTimeline(SINGLE_SCOPE, 'ns-nul', 'webapp');
      expect(timeline.map((e) => [e.key, e.summary, e.details])).toEqual([
        ['event/a\uFFFDb', 'Warning: probe \uFFFD failed', { message: `m${nul}` }],
      ]);
      expect(await s.listTimeline(SINGLE_SCOPE, 'ns-nul', 'x\uFFFDy')).toHaveLength(1);
    });

    it('filters by subject, bare local name, legacy actor, namespace, action and inclusive time bounds', async () => {
      const ns = 'ns-filter';
      const log = (over: Partial<ActionRecord>) =>
        s.logAction(action({ namespace: ns, timeline: false, ...over }), SINGLE_SCOPE);
      const a = await log({ at: '2026-02-01T00:00:00.000Z' });
      const b = await log({
        at: '2026-02-02T12:00:00.000Z',
        subject: 'oidc:https://idp#u1',
        actor: 'alice',
        action: 'abort',
      });
      const c = await log({ at: '2026-02-03T23:59:59.999Z', subject: '', actor: 'bob' });
      const d = await log({ at: '2026-02-04T00:00:00.000Z', subject: 'local:bob', actor: 'bob' });
      await log({ at: '2026-02-02T00:00:00.000Z', namespace: 'ns-filter-other' });
      const ids = async (over: Partial<Parameters<ControlCenterStore['queryAudit']>[0]>) =>
        (await q({ namespace: ns, ...over })).map((r) => r.id);
      expect(await ids({})).toEqual([d, c, b, a]);
      expect(await ids({ user: 'alice' })).toEqual([a]);
      expect(await ids({ user: 'local:alice' })).toEqual([a]);
      expect(await ids({ user: 'oidc:https://idp#u1' })).toEqual([b]);
      expect(await ids({ user: 'bob' })).toEqual([d, c]);
      expect(await ids({ action: 'abort' })).toEqual([b]);
      expect(await ids({ since: '2026-02-02', until: '2026-02-03' })).toEqual([c, b]);
      expect(await ids({ since: '2026-02-02T12:00:00Z', until: '2026-02-04T00:00:00.000Z' })).toEqual([
        d,
        c,
        b,
      ]);
      expect(await ids({ since: '2026-02-02T13:00:00+01:00' })).toEqual([d, c, b]);
      expect(await ids({ limit: 2 })).toEqual([d, c]);
      expect((await q({ user: 'alice', namespace: 'ns-filter-other' })).length).toBe(1);
    });

    it('rows written at the same instant come newest-written first', async () => {
      const at = '2026-03-01T00:00:00.000Z';
      const first = await s.logAction(action({ namespace: 'ns-tie', at, timeline: false }), SINGLE_SCOPE);
      const second = await s.logAction(action({ namespace: 'ns-tie', at, timeline: false }), SINGLE_SCOPE);
      const third = await s.beginAction(action({ namespace: 'ns-tie', at }));
      expect((await q({ namespace: 'ns-tie' })).map((r) => r.id)).toEqual([third, second, first]);
    });

    it('stores each timeline entry once per key and context, and reads scopes as configured', async () => {
      const ns = 'ns-timeline';
      const prod: TimelineScope = { context: 'prod', readsUntagged: true };
      const staging: TimelineScope = { context: 'staging', readsUntagged: false };
      expect(await s.addTimeline(SINGLE_SCOPE, [entry(ns, 'old', '2026-01-01T00:00:00.000Z')])).toBe(1);
      expect(await s.addTimeline(prod, [entry(ns, 'step/1', '2026-01-01T00:00:01.000Z')])).toBe(1);
      expect(await s.addTimeline(staging, [entry(ns, 'step/1', '2026-01-01T00:00:02.000Z')])).toBe(1);
      expect(await s.addTimeline(staging, [entry(ns, 'step/1', '2026-01-01T00:00:02.000Z')])).toBe(0);
      expect(
        await s.addTimeline(prod, [
          entry(ns, 'step/1', '2026-01-09T00:00:00.000Z'),
          entry(ns, 'step/2', '2026-01-01T00:00:03.000Z'),
        ]),
      ).toBe(1);
      expect(await s.addTimeline(prod, [])).toBe(0);
      const keys = async (scope: TimelineScope) =>
        (await s.listTimeline(scope, ns, 'webapp')).map((e) => [e.key, e.at]);
      expect(await keys(prod)).toEqual([
        ['step/2', '2026-01-01T00:00:03.000Z'],
        ['step/1', '2026-01-01T00:00:01.000Z'],
        ['old', '2026-01-01T00:00:00.000Z'],
      ]);
      expect(await keys(staging)).toEqual([['step/1', '2026-01-01T00:00:02.000Z']]);
      expect(await keys(SINGLE_SCOPE)).toEqual([['old', '2026-01-01T00:00:00.000Z']]);
      expect(await s.listTimeline(prod, ns, 'other')).toEqual([]);
    });

    it('timeline: equal times come later-written first; before is exclusive; limit; details round trip', async () => {
      const ns = 'ns-order';
      const at = '2026-04-01T00:00:00.000Z';
      const details = { value: 0.25, list: ['a', { b: null }], flag: true };
      await s.addTimeline(SINGLE_SCOPE, [entry(ns, 'z-first', at), entry(ns, 'a-second', at)]);
      await s.addTimeline(SINGLE_SCOPE, [{ ...entry(ns, 'm-third', at), details }]);
      await s.addTimeline(SINGLE_SCOPE, [entry(ns, 'earlier', '2026-03-31T00:00:00.000Z')]);
      const list = await s.listTimeline(SINGLE_SCOPE, ns, 'webapp');
      expect(list.map((e) => e.key)).toEqual(['m-third', 'a-second', 'z-first', 'earlier']);
      expect(list[0]?.details).toEqual(details);
      expect(list[1]?.details).toBeUndefined();
      expect(list[1]).toEqual(entry(ns, 'a-second', at));
      expect((await s.listTimeline(SINGLE_SCOPE, ns, 'webapp', { before: at })).map((e) => e.key)).toEqual([
        'earlier',
      ]);
      expect((await s.listTimeline(SINGLE_SCOPE, ns, 'webapp', { limit: 2 })).map((e) => e.key)).toEqual([
        'm-third',
        'a-second',
      ]);
    });

    it('timeline: times as Kubernetes writes them (whole seconds, MicroTime, an offset) come back in time order', async () => {
      const ns = 'ns-times';
      await s.addTimeline(SINGLE_SCOPE, [
        entry(ns, 'whole-second', '2026-05-01T00:00:01Z'), // metav1.Time
        entry(ns, 'milliseconds', '2026-05-01T00:00:01.500Z'), // the recorder's clock
        entry(ns, 'micro', '2026-05-01T00:00:01.250123Z'), // MicroTime (an Event's eventTime)
        entry(ns, 'offset', '2026-05-01T02:00:00+02:00'), // = 00:00:00Z
      ]);
      const list = await s.listTimeline(SINGLE_SCOPE, ns, 'webapp');
      expect(list.map((e) => [e.key, e.at])).toEqual([
        ['milliseconds', '2026-05-01T00:00:01.500Z'],
        ['micro', '2026-05-01T00:00:01.250Z'],
        ['whole-second', '2026-05-01T00:00:01.000Z'],
        ['offset', '2026-05-01T00:00:00.000Z'],
      ]);
      const page = await s.listTimeline(SINGLE_SCOPE, ns, 'webapp', { before: '2026-05-01T00:00:01Z' });
      expect(page.map((e) => e.key)).toEqual(['offset']);
    });

    it('sessions: create and read back, revoke once, unknown ids read as null', async () => {
      const now = 1_700_000_000_000;
      const local = await s.sessions.create(
        { subject: 'local:carol', name: 'carol', provider: 'local', maxAgeSeconds: 3600 },
        now,
      );
      expect(local.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(local).toEqual({
        id: local.id,
        subject: 'local:carol',
        name: 'carol',
        provider: 'local',
        createdAt: now,
        expiresAt: now + 3_600_000,
        revokedAt: null,
        revokedBy: null,
        groups: null,
        groupsCheckedAt: null,
        oidcTokens: null,
      });
      expect(await s.sessions.get(local.id)).toEqual(local);
      expect(await s.sessions.get('no-such-session')).toBeNull();
      const tokens = { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: now + 60_000 };
      const oidc = await s.sessions.create(
        {
          subject: 'oidc:https://idp#c1',
          name: 'Carol',
          provider: 'oidc',
          maxAgeSeconds: 60,
          groups: ['ops'],
          oidcTokens: tokens,
        },
        now,
      );
      expect(oidc).toMatchObject({ groups: ['ops'], groupsCheckedAt: now, oidcTokens: tokens });
      await s.sessions.recordGroupCheck(oidc.id, ['ops', 'dev'], { accessToken: 'at-2' }, now + 5);
      expect(await s.sessions.get(oidc.id)).toMatchObject({
        groups: ['ops', 'dev'],
        groupsCheckedAt: now + 5,
        oidcTokens: { accessToken: 'at-2' },
      });
      await s.sessions.revoke(oidc.id, 'sign-out', now + 10);
      await s.sessions.revoke(oidc.id, 'someone else', now + 20);
      await s.sessions.recordGroupCheck(oidc.id, ['x'], { accessToken: 'at-3' }, now + 30);
      expect(await s.sessions.get(oidc.id)).toMatchObject({
        revokedAt: now + 10,
        revokedBy: 'sign-out',
        oidcTokens: null,
        groups: ['ops', 'dev'],
      });
    });

    it('sessions: revokeOf and liveOf match a username, an OIDC subject with or without prefix, or a name', async () => {
      const now = 1_700_000_100_000;
      const mk = (subject: string, name: string, maxAgeSeconds = 3600) =>
        s.sessions.create(
          { subject, name, provider: subject.startsWith('oidc:') ? 'oidc' : 'local', maxAgeSeconds },
          now,
        );
      await mk('local:dave', 'dave');
      await mk('local:dave', 'dave');
      const expired = await mk('local:dave', 'dave', 1);
      await mk('oidc:https://idp#d9', 'Dave D');
      await mk('local:erin', 'erin');
      expect(await s.sessions.liveOf('dave', now + 2000)).toBe(2);
      expect(await s.sessions.liveOf('local:dave', now + 2000)).toBe(2);
      expect(await s.sessions.liveOf('https://idp#d9', now)).toBe(1);
      expect(await s.sessions.liveOf('Dave D', now)).toBe(1);
      expect(await s.sessions.revokeOf('dave', 'admin root', now + 2000)).toBe(2);
      expect(await s.sessions.liveOf('dave', now + 2000)).toBe(0);
      expect((await s.sessions.get(expired.id))?.revokedAt).toBeNull();
      expect(await s.sessions.revokeOf('dave', 'admin root', now + 2000)).toBe(0);
      expect(await s.sessions.revokeOf('https://idp#d9', 'admin root', now)).toBe(1);
      expect(await s.sessions.liveOf('erin', now)).toBe(1);
    });

    it('sessions: a sign-in deletes rows expired for more than a day, and only those', async () => {
      const now = 1_800_000_000_000;
      const old = await s.sessions.create(
        { subject: 'local:frank', name: 'frank', provider: 'local', maxAgeSeconds: 1 },
        now,
      );
      const recent = await s.sessions.create(
        { subject: 'local:frank', name: 'frank', provider: 'local', maxAgeSeconds: 1 },
        now + KEEP_EXPIRED_MS,
      );
      await s.sessions.create(
        { subject: 'local:grace', name: 'grace', provider: 'local', maxAgeSeconds: 60 },
        now + KEEP_EXPIRED_MS + 1001,
      );
      expect(await s.sessions.get(old.id)).toBeNull();
      expect(await s.sessions.get(recent.id)).not.toBeNull();
    });
  });
}

/** An action record of alice's (promote demo/webapp), with `over` on top. */
export const action = (over: Partial<ActionRecord> = {}): ActionRecord => ({
  action: 'promote',
  namespace: 'demo',
  name: 'webapp',
  body: null,
  subject: 'local:alice',
  actor: 'alice',
  role: 'operator',
  at: '2026-01-01T10:00:00.000Z',
  ...over,
});

const entry = (namespace: string, key: string, at: string): TimelineEntry => ({
  key,
  at,
  namespace,
  rollout: 'webapp',
  kind: 'step',
  source: 'controller',
  summary: key,
});
