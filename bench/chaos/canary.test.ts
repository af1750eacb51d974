import { describe, expect, it } from 'vitest';
import { type Ctx, type Injected, startInjection } from './canary';

/** A scenario's inject that throws (e.g. a mount not permitted) fails the row with its reason; nothing rejects. */
describe('startInjection', () => {
  const ctx = {} as Ctx; // inject functions below never look at it

  it('keeps the error of an inject that throws; done resolves', async () => {
    const i = startInjection(() => Promise.reject(new Error('mount: permission denied')), ctx);
    await expect(i.done).resolves.toBeUndefined();
    expect(i).toMatchObject({ injected: null, error: 'mount: permission denied' });
  });

  it('keeps what a successful inject returns', async () => {
    const done: Injected = { start: 1, end: 2, trafficWindows: [], note: 'node restarted' };
    const i = startInjection(async () => done, ctx);
    await i.done;
    expect(i).toMatchObject({ injected: done, error: null });
  });
});
