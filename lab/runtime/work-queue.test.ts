import { describe, expect, it } from 'vitest';
import { waitFor } from '../e2e/wait';
import { WorkQueue } from './work-queue';

describe('the lab work queue', () => {
  it('runs a key one at a time; an add while it runs runs it once more after', async () => {
    let running = 0;
    let most = 0;
    const runs: string[] = [];
    let release: () => void = () => {};
    const q = new WorkQueue(async (key) => {
      running++;
      most = Math.max(most, running);
      runs.push(key);
      if (runs.length === 1) await new Promise<void>((r) => (release = r));
      running--;
    }, 0);
    q.add('demo/webapp');
    await waitFor('the first run', () => runs.length === 1);
    q.add('demo/webapp');
    q.add('demo/webapp');
    release();
    await waitFor('the second run', () => runs.length === 2);
    await q.stop();
    expect(runs).toEqual(['demo/webapp', 'demo/webapp']);
    expect(most).toBe(1);
  });

  it('requeues a key whose reconcile failed, and reports the error', async () => {
    const errors: string[] = [];
    let calls = 0;
    const q = new WorkQueue(
      () => {
        calls++;
        if (calls === 1) throw new Error('conflict');
      },
      0,
      (key, err) => errors.push(`${key}: ${(err as Error).message}`),
    );
    q.add('demo/webapp');
    await waitFor('the retry', () => calls === 2, 5000, 20);
    await q.stop();
    expect(errors).toEqual(['demo/webapp: conflict']);
  });

  it('keeps the earliest of several addAfter requests for a key, and nothing runs after stop', async () => {
    const runs: number[] = [];
    const q = new WorkQueue(() => {
      runs.push(Date.now());
    }, 0);
    q.addAfter('k', 5000);
    q.addAfter('k', 50);
    // Within 3 s: the 50 ms request won over the 5 s one.
    await waitFor('the requeue', () => runs.length === 1, 3000, 10);
    await q.stop();
    q.add('k');
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toHaveLength(1);
  });
});
