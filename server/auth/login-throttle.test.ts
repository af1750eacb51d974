import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, LoginThrottle } from './login-throttle';

function setup(limits = DEFAULT_LIMITS) {
  const clock = { t: 1_000_000 };
  return { clock, t: new LoginThrottle(limits, () => clock.t) };
}
/** One wrong password from `source`: whether it was let through. */
const fail = (t: LoginThrottle, user: string, source: string) => {
  const d = t.attempt(user, source);
  if (d.ok) t.record(user, source, false);
  return d;
};

describe('LoginThrottle', () => {
  it('per user and source: five free failures, then a wait that doubles, capped at 15 min', () => {
    const { clock, t } = setup();
    for (let i = 0; i < 5; i++) expect(fail(t, 'admin', '10.0.0.1').ok).toBe(true);
    expect(t.attempt('admin', '10.0.0.1')).toEqual({ ok: false, retryAfterSeconds: 1, scope: 'pair' });
    clock.t += 1000;
    expect(fail(t, 'admin', '10.0.0.1').ok).toBe(true);
    expect(t.attempt('admin', '10.0.0.1')).toEqual({ ok: false, retryAfterSeconds: 2, scope: 'pair' });
    clock.t += 2000;
    expect(fail(t, 'admin', '10.0.0.1').ok).toBe(true);
    expect(t.attempt('admin', '10.0.0.1')).toMatchObject({ ok: false, retryAfterSeconds: 4 });
    expect(t.backoffMs(30)).toBe(15 * 60_000);
  });

  it('an attacker at one address does not lock the user out at another address', () => {
    const { clock, t } = setup();
    for (let i = 0; i < 60; i++) {
      fail(t, 'admin', '203.0.113.9');
      clock.t += 1000;
    }
    expect(t.attempt('admin', '203.0.113.9').ok).toBe(false);
    expect(t.attempt('admin', '10.0.0.1')).toEqual({ ok: true });
    t.record('admin', '10.0.0.1', true);
  });

  it('a success clears the backoff of its pair', () => {
    const { clock, t } = setup();
    for (let i = 0; i < 6; i++) fail(t, 'viewer', '10.0.0.1');
    expect(t.attempt('viewer', '10.0.0.1').ok).toBe(false);
    clock.t += 2000;
    expect(t.attempt('viewer', '10.0.0.1').ok).toBe(true);
    t.record('viewer', '10.0.0.1', true);
    expect(t.attempt('viewer', '10.0.0.1').ok).toBe(true);
  });

  it('per source: 30 attempts a minute across usernames (spraying), then the next minute', () => {
    const { clock, t } = setup();
    for (let i = 0; i < 30; i++) expect(fail(t, `user${i}`, '10.0.0.7').ok).toBe(true);
    expect(t.attempt('someone', '10.0.0.7')).toMatchObject({ ok: false, scope: 'source' });
    expect(t.attempt('someone', '10.0.0.8').ok).toBe(true);
    clock.t += 60_000;
    expect(t.attempt('someone', '10.0.0.7').ok).toBe(true);
  });

  it('per username: 100 failures in 15 min from many sources stop everyone; one source alone never gets there', () => {
    const lone = setup();
    // One address, as fast as it is let: its backoff holds it far below the per-user limit.
    let through = 0;
    for (let s = 0; s < 15 * 60; s++) {
      if (fail(lone.t, 'admin', '198.51.100.1').ok) through++;
      lone.clock.t += 1000;
    }
    expect(through).toBeLessThan(20);
    expect(lone.t.attempt('admin', '10.0.0.1').ok).toBe(true);

    const { clock, t } = setup();
    for (let i = 0; i < 100; i++) expect(fail(t, 'admin', `198.51.100.${i}`).ok).toBe(true);
    expect(t.attempt('admin', '10.0.0.1')).toMatchObject({ ok: false, scope: 'user' });
    expect(t.attempt('viewer', '10.0.0.1').ok).toBe(true);
    clock.t += 15 * 60_000;
    expect(t.attempt('admin', '10.0.0.1').ok).toBe(true);
  });

  it('keeps at most maxKeys entries', () => {
    const { t } = setup({ ...DEFAULT_LIMITS, maxKeys: 10, perSourceLimit: 1_000 });
    for (let i = 0; i < 100; i++) fail(t, `u${i}`, `10.0.0.${i}`);
    const sizes = t as unknown as Record<'pairs' | 'sources' | 'users', Map<string, unknown>>;
    expect(sizes.pairs.size).toBe(10);
    expect(sizes.sources.size).toBe(10);
    expect(sizes.users.size).toBe(10);
  });
});
