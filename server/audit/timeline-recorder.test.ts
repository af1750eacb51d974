import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '@/lib/rollout/kube-types';
import type { InformerEvent } from '../kube/object-cache';
import type { InformerRegistry } from '../kube/registry';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { SINGLE_SCOPE } from '../store/types';
import { startTimelineRecorder } from './timeline-recorder';
import { TimelineStore } from './timeline-store';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-recorder-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/**
 * The informers' events, pushed by the test: what the recorder does with an event is under test here, not how the
 * informers get it (the timeline route test runs the recorder on a real lab).
 */
function events() {
  const listeners: Array<(ev: InformerEvent) => void> = [];
  const reg = {
    list: () => [],
    subscribe: (fn: (ev: InformerEvent) => void) => {
      listeners.push(fn);
      return () => undefined;
    },
  } as unknown as InformerRegistry;
  const emit = (i: number, at: string) => {
    const object = {
      metadata: { namespace: 'demo', name: `webapp.${i}`, uid: `uid-${i}` },
      involvedObject: { kind: 'Rollout', name: 'webapp', namespace: 'demo' },
      reason: 'Step',
      message: `event ${i}`,
      lastTimestamp: at,
    } as KubeObject;
    for (const fn of listeners) fn({ kind: 'event', type: 'ADDED', object });
  };
  return { reg, emit };
}

describe('the timeline recorder', () => {
  it('writes events in the order they came: equal times read back later-written first', async () => {
    const s = SqliteStore.open(path.join(dir, 'order', 'control-center.db'));
    const { reg, emit } = events();
    startTimelineRecorder(reg, new TimelineStore(SINGLE_SCOPE, s));
    for (let i = 0; i < 5; i++) emit(i, '2026-01-01T00:00:00Z');
    const deadline = Date.now() + 10_000;
    let got: string[] = [];
    while (got.length < 5) {
      if (Date.now() > deadline) throw new Error(`5 entries not stored within 10 s (got ${got.length})`);
      got = (await s.listTimeline(SINGLE_SCOPE, 'demo', 'webapp')).map((e) => e.summary);
    }
    expect(got).toEqual([
      'Step: event 4',
      'Step: event 3',
      'Step: event 2',
      'Step: event 1',
      'Step: event 0',
    ]);
    await s.close();
  });

  it('while the store does not answer, at most 1000 batches wait; the ones past that are dropped and said so', async () => {
    const real = SqliteStore.open(path.join(dir, 'silent', 'control-center.db'));
    // A fake for a fault SQLite cannot show without blocking the thread: a database that never answers.
    const silent = Object.assign(Object.create(real) as SqliteStore, {
      addTimeline: () => new Promise<number>(() => undefined),
    });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { reg, emit } = events();
    startTimelineRecorder(reg, new TimelineStore(SINGLE_SCOPE, silent));
    for (let i = 0; i < 1003; i++) emit(i, '2026-01-01T00:00:00Z');
    expect(logged.mock.calls).toEqual([
      [
        expect.stringMatching(
          /^timeline: 1 entries dropped \(oldest first\): 1000 batches, \d+ bytes wait for the store; 1 dropped so far$/,
        ),
      ],
      [expect.stringMatching(/; 2 dropped so far$/)],
      [expect.stringMatching(/; 3 dropped so far$/)],
    ]);
    await real.close();
  });
});
