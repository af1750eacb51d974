import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  decide,
  electorIdentity,
  LeaderElector,
  type LeaseApi,
  type LeaseRecord,
  microTime,
  type Observed,
  observedAfterWrite,
  recordOf,
  releasedRecord,
  specOf,
} from './leader-election';

/** tryAcquireOrRenew round by round on a fake clock (ms): no API, no timers. */
const A = { identity: 'a', leaseDurationSeconds: 3 };
const B = { identity: 'b', leaseDurationSeconds: 3 };
const T0 = Date.parse('2026-12-03T04:00:00.000Z');
const held = (holder: string, renewMs: number, extra: Partial<LeaseRecord> = {}): LeaseRecord => ({
  holderIdentity: holder,
  leaseDurationSeconds: 3,
  acquireTime: microTime(T0),
  renewTime: microTime(renewMs),
  leaseTransitions: 4,
  ...extra,
});

describe('decide', () => {
  it('404: creates the Lease with itself as holder, transitions 0, acquire = renew = now', () => {
    const d = decide(null, undefined, T0, A);
    expect(d).toMatchObject({
      action: 'create',
      record: {
        holderIdentity: 'a',
        leaseDurationSeconds: 3,
        acquireTime: '2026-12-03T04:00:00.000000Z',
        renewTime: '2026-12-03T04:00:00.000000Z',
        leaseTransitions: 0,
      },
    });
  });

  it('believes another holder for the lease duration of LOCAL time since the record last changed, whatever its renewTime says', () => {
    // The holder's clock is an hour behind: its renewTime looks long expired, yet it is live.
    const record = held('a', T0 - 3600_000);
    let seen: Observed | undefined;
    for (const t of [T0, T0 + 1000, T0 + 2999]) {
      const d = decide(record, seen, t, B);
      expect(d.action, `at +${t - T0} ms`).toBe('wait');
      seen = d.observed;
    }
    expect(seen?.time).toBe(T0);
    const d = decide(record, seen, T0 + 3001, B);
    expect(d).toMatchObject({ action: 'update', record: { holderIdentity: 'b', leaseTransitions: 5 } });
    expect(d.action === 'update' && d.record.acquireTime).toBe(microTime(T0 + 3001));
  });

  it('a renewTime in the future buys nothing: expiry counts from when the change was seen', () => {
    const record = held('a', T0 + 3600_000);
    const first = decide(record, undefined, T0, B);
    expect(first.action).toBe('wait');
    expect(decide(record, first.observed, T0 + 3001, B).action).toBe('update');
  });

  it('every change of the record restarts the local clock', () => {
    let seen = decide(held('a', T0), undefined, T0, B).observed;
    seen = decide(held('a', T0 + 2000), seen, T0 + 2500, B).observed;
    expect(seen?.time).toBe(T0 + 2500);
    expect(decide(held('a', T0 + 2000), seen, T0 + 5000, B).action).toBe('wait');
    expect(decide(held('a', T0 + 2000), seen, T0 + 5501, B).action).toBe('update');
  });

  it("uses the holder's leaseDurationSeconds from the record, not its own", () => {
    const long = held('a', T0, { leaseDurationSeconds: 60 });
    const seen = decide(long, undefined, T0, B).observed;
    expect(decide(long, seen, T0 + 59_000, B).action).toBe('wait');
    expect(decide(long, seen, T0 + 60_001, B).action).toBe('update');
  });

  it('renewing its own Lease keeps acquireTime and transitions and moves renewTime', () => {
    const mine = held('a', T0 + 1000);
    const d = decide(mine, observedAfterWrite(mine, T0 + 1000), T0 + 1500, A);
    expect(d).toMatchObject({
      action: 'update',
      record: {
        holderIdentity: 'a',
        acquireTime: microTime(T0),
        renewTime: microTime(T0 + 1500),
        leaseTransitions: 4,
      },
    });
  });

  it('a released Lease (no holder) is taken at once, counting a transition', () => {
    const released = releasedRecord(held('a', T0), T0 + 100);
    expect(released).toEqual({
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: microTime(T0 + 100),
      renewTime: microTime(T0 + 100),
      leaseTransitions: 4,
    });
    expect(decide(released, undefined, T0 + 101, B)).toMatchObject({
      action: 'update',
      record: { holderIdentity: 'b', leaseTransitions: 5, leaseDurationSeconds: 3 },
    });
  });

  it('two candidates on one record: only the first write can win (the second sees a holder it must wait for)', () => {
    const free = releasedRecord(held('x', T0), T0);
    const a = decide(free, undefined, T0 + 10, A);
    const b = decide(free, undefined, T0 + 10, B);
    // Both want to update; the API server lets one PUT through (resourceVersion) and answers 409 to the other.
    expect([a.action, b.action]).toEqual(['update', 'update']);
    const won = a.action === 'update' ? a.record : free;
    expect(decide(won, b.observed, T0 + 20, B)).toMatchObject({ action: 'wait', holder: 'a' });
  });
});

describe('Lease spec conversion', () => {
  it('reads MicroTime strings as sent and writes them back with the exact six digits', () => {
    const rec = recordOf({
      spec: {
        holderIdentity: 'a',
        leaseDurationSeconds: 3,
        renewTime: '2026-12-03T04:00:00.123456Z' as never,
        leaseTransitions: 2,
      },
    });
    expect(rec).toEqual({
      holderIdentity: 'a',
      leaseDurationSeconds: 3,
      acquireTime: undefined,
      renewTime: '2026-12-03T04:00:00.123456Z',
      leaseTransitions: 2,
    });
    expect(JSON.parse(JSON.stringify(specOf(rec)))).toEqual({
      holderIdentity: 'a',
      leaseDurationSeconds: 3,
      renewTime: '2026-12-03T04:00:00.123456Z',
      leaseTransitions: 2,
    });
    expect(recordOf({})).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 0, leaseTransitions: 0 });
  });

  it('identity: POD_NAME, else host-pid-random', () => {
    expect(electorIdentity({ POD_NAME: 'cc-7d9f-abcde' })).toBe('cc-7d9f-abcde');
    const id = electorIdentity({});
    expect(id).toMatch(new RegExp(`-${process.pid}-[0-9a-f]{8}$`));
    expect(electorIdentity({})).not.toBe(id);
  });
});

describe('clocks: the wall clock only stamps the Lease, local deadlines run on the monotonic clock', () => {
  it('a holder seen before the wall clock stepped back 60 s is waited for leaseDuration of monotonic time, no more', () => {
    const seen = decide(held('a', T0), undefined, { wall: T0, mono: 1000 }, B).observed;
    // Wall clock stepped back a minute; 3.001 s of monotonic time passed: the lease is over, whatever the wall says.
    const after = { wall: T0 - 60_000 + 3001, mono: 4001 };
    expect(decide(held('a', T0), seen, { wall: T0 - 60_000 + 2999, mono: 3999 }, B).action).toBe('wait');
    expect(decide(held('a', T0), seen, after, B)).toMatchObject({
      action: 'update',
      record: { holderIdentity: 'b', renewTime: microTime(after.wall), leaseTransitions: 5 },
    });
  });

  describe('LeaderElector', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('stops leading at the renew deadline although the wall clock stepped back 60 s while the API was unreachable', async () => {
      // Fake timers: the wall clock cannot be stepped back for real; performance.now() keeps counting forward.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'], now: T0 });
      let reachable = true;
      const never = new Promise<never>(() => {});
      const api = {
        readNamespacedLease: () =>
          reachable ? Promise.reject(Object.assign(new Error('not found'), { code: 404 })) : never,
        createNamespacedLease: ({ body }: { body: unknown }) => (reachable ? Promise.resolve(body) : never),
        replaceNamespacedLease: () => never,
      } as unknown as LeaseApi;
      const events: string[] = [];
      const elector = new LeaderElector(
        api,
        {
          namespace: 'ns',
          leaseName: 'l',
          identity: 'a',
          leaseDurationSeconds: 15,
          renewDeadlineSeconds: 10,
          retryPeriodSeconds: 2,
        },
        { onStartedLeading: () => events.push('started'), onStoppedLeading: () => events.push('stopped') },
      );
      elector.start();
      await vi.advanceTimersByTimeAsync(0);
      expect(elector.isLeader()).toBe(true);
      reachable = false;
      vi.setSystemTime(Date.now() - 60_000);
      await vi.advanceTimersByTimeAsync(9_900);
      expect(elector.isLeader()).toBe(true);
      await vi.advanceTimersByTimeAsync(200);
      expect(elector.isLeader()).toBe(false);
      expect(events).toEqual(['started', 'stopped']);
    });
  });
});
