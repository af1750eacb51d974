import { describe, expect, it } from 'vitest';
import { within } from './within';

describe('within', () => {
  it("gives the work's answer when it comes in time", async () => {
    await expect(within(Promise.resolve(7), 50, () => 'late')).resolves.toBe(7);
    await expect(within(Promise.reject(new Error('no')), 50, () => 'late')).rejects.toThrow('no');
  });

  it('rejects with the message made from the bound when the work is later; its late outcome is dropped', async () => {
    const slow = new Promise<number>((_, reject) =>
      setTimeout(() => reject(new Error('too late to matter')), 80),
    );
    await expect(within(slow, 20, (ms) => `the store: no answer within ${ms} ms`)).rejects.toThrow(
      'the store: no answer within 20 ms',
    );
    await new Promise((r) => setTimeout(r, 100)); // an unhandled rejection would fail the run here
  });
});
