import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '@/lib/rollout/kube-types';
import { requireTool } from '../../support/testing/tools';
import type { InformerEvent } from '../kube/object-cache';
import type { InformerRegistry } from '../kube/registry';
import { startTestRuntime } from '../runtime/testing/test-runtime';
import type { SloReport } from '../slo/evaluate';
import { recordVerdict } from '../slo/record-verdict';
import { PgStore } from '../store/postgres/pg-store';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { type ControlCenterStore, SINGLE_SCOPE } from '../store/types';
import { startTestPostgres, type TestPostgres } from '../testing/postgres';
import { startTimelineRecorder } from './timeline-recorder';
import { TimelineStore } from './timeline-store';

/**
 * Stores that cannot be written for a while, for real: a SQLite file on a tmpfs filled to ENOSPC (needs root with
 * CAP_SYS_ADMIN for `mount`), and a PostgreSQL killed and started again. What is recorded meanwhile is stored once
 * the store takes writes again, once each, in entry order.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-outage-'));
let pg: TestPostgres;
beforeAll(async () => {
  requireTool('postgres');
  pg = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const FAST = { firstBackoffMs: 50, maxBackoffMs: 250 };

function events() {
  const listeners: Array<(ev: InformerEvent) => void> = [];
  const reg = {
    list: () => [],
    subscribe: (fn: (ev: InformerEvent) => void) => {
      listeners.push(fn);
      return () => undefined;
    },
  } as unknown as InformerRegistry;
  const emit = (i: number) => {
    const object = {
      metadata: { namespace: 'demo', name: `webapp.${i}`, uid: `uid-${i}` },
      involvedObject: { kind: 'Rollout', name: 'webapp', namespace: 'demo' },
      reason: 'Step',
      message: `event ${i}`,
      lastTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    } as KubeObject;
    for (const fn of listeners) fn({ kind: 'event', type: 'ADDED', object });
  };
  return { reg, emit };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const summaries = async (s: ControlCenterStore) =>
  (await s.listTimeline(SINGLE_SCOPE, 'demo', 'webapp', { limit: 500 })).map((e) => e.summary);
const expected = (n: number) => Array.from({ length: n }, (_, i) => `Step: event ${n - 1 - i}`);

describe('timeline entries written while the store cannot take them', () => {
  it('SQLite on a full disk (tmpfs at ENOSPC): the entries are stored once the disk has room again', async () => {
    const mnt = path.join(dir, 'small');
    fs.mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', mnt]);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const s = SqliteStore.open(path.join(mnt, 'control-center.db'));
    const filler = path.join(mnt, 'filler');
    try {
      const { reg, emit } = events();
      const stop = startTimelineRecorder(reg, new TimelineStore(SINGLE_SCOPE, s), undefined, FAST);
      emit(0);
      await until('the first entry', async () => ((await summaries(s)).length === 1 ? true : undefined));
      // Fill the disk to the last byte (writes of 64 kB, then 1 byte, until ENOSPC).
      const fd = fs.openSync(filler, 'w');
      for (const size of [65536, 1])
        for (;;) {
          try {
            fs.writeSync(fd, Buffer.alloc(size));
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
            break;
          }
        }
      fs.closeSync(fd);
      // SQLite may still write into WAL pages it has; record until a write fails for real (bounded).
      let n = 1;
      const failed = () => logged.mock.calls.some((c) => String(c[0]).includes('could not store'));
      while (!failed() && n < 400) {
        emit(n++);
        await new Promise((r) => setTimeout(r, 5));
      }
      await until('a failed write', () => (failed() ? true : undefined), 5000);
      for (let k = 0; k < 5; k++) emit(n++);
      expect((await summaries(s)).length).toBeLessThan(n);
      fs.rmSync(filler);
      await until(`all ${n} entries`, async () => ((await summaries(s)).length >= n ? true : undefined));
      expect(await summaries(s)).toEqual(expected(n));
      stop();
    } finally {
      await s.close();
      fs.rmSync(filler, { force: true });
      execFileSync('umount', ['-l', mnt]);
      logged.mockRestore();
    }
  });

  it('PostgreSQL killed and started again: the recorder and the judge keep what came meanwhile', async () => {
    const s = PgStore.open(await pg.createDatabase(), { onIdleError: () => undefined });
    await s.migrate();
    const rt = startTestRuntime({ store: () => s });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { reg, emit } = events();
      const stop = startTimelineRecorder(reg, new TimelineStore(SINGLE_SCOPE, s), undefined, FAST);
      emit(0);
      await until('the first entry', async () => ((await summaries(s)).length === 1 ? true : undefined));
      await pg.kill();
      for (let i = 1; i < 6; i++) emit(i);
      // The judge answers within its bound while the store is down; the verdict waits.
      await recordVerdict(report, '2026-01-01T00:01:00.000Z');
      await until('a failed write', () =>
        logged.mock.calls.some((c) => String(c[0]).includes('could not store')) ? true : undefined,
      );
      await pg.restart();
      const all = await until('the entries and the verdict', async () => {
        const got = await summaries(s).catch(() => []);
        return got.length >= 7 ? got : undefined;
      });
      expect(all).toEqual(['judged rollback', ...expected(6)]);
      stop();
    } finally {
      await rt.done();
      await s.close();
      logged.mockRestore();
    }
  }, 90_000);
});

const report = {
  namespace: 'demo',
  rollout: 'webapp',
  verdict: 'rollback',
  explanation: 'judged rollback',
  canary: { service: 'webapp-canary', podHash: 'abc' },
  window: { since: 1_700_000_000, until: 1_700_000_060, stepSeconds: 5 },
  slos: [{ name: 'error-rate', status: 'fail' }],
} as unknown as SloReport;
