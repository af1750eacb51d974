import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../runtime/testing/test-runtime';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import type { ControlCenterStore } from '../store/types';
import type { SloReport } from './evaluate';
import { recordVerdict } from './record-verdict';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-verdict-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.done();
  rt = undefined;
  vi.restoreAllMocks();
});
let n = 0;
const open = () => {
  const s = SqliteStore.open(path.join(dir, `v-${n++}`, 'control-center.db'));
  rt = startTestRuntime({ store: () => s });
  return s;
};

// Only the fields the timeline entry is made of (verdictEntry); the rest of a report plays no part here.
const report = (verdict: SloReport['verdict']) =>
  ({
    namespace: 'demo',
    rollout: 'webapp',
    verdict,
    explanation: `judged ${verdict}`,
    canary: { service: 'webapp-canary', podHash: 'abc' },
    window: { since: 1_700_000_000, until: 1_700_000_060, stepSeconds: 5 },
    slos: [{ name: 'error-rate', status: verdict === 'rollback' ? 'fail' : 'pass' }],
  }) as unknown as SloReport;

describe('the judge stores its decisive verdicts', () => {
  it('a rollback is stored once however often it is judged; a pause is not stored', async () => {
    const s = open();
    await recordVerdict(report('rollback'), '2026-01-01T00:00:00.000Z');
    await recordVerdict(report('rollback'), '2026-01-01T00:00:05.000Z');
    await recordVerdict(report('pause'), '2026-01-01T00:00:10.000Z');
    const list = await s.listTimeline({ context: '', readsUntagged: true }, 'demo', 'webapp');
    expect(list.map((e) => [e.summary, e.at, e.details])).toEqual([
      ['judged rollback', '2026-01-01T00:00:00.000Z', { verdict: 'rollback', failing: ['error-rate'] }],
    ]);
  });

  it('a store that cannot be written: the answer goes out after the bound, the verdict waits and is retried', async () => {
    const s = open();
    s.db.close();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(recordVerdict(report('promote'), undefined, 'closed')).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith(
      expect.stringMatching(
        /^timeline: verdicts: could not store 1 entries \(The database connection is not open\)/,
      ),
    );
    expect(logged).toHaveBeenCalledWith(
      'timeline: the verdict is not stored yet (kept, retried):',
      'storing the verdict: no answer from the store within 1000 ms',
    );
  });

  it('a store that does not answer: the answer goes out after the bound', async () => {
    const real = open();
    // A fake for a fault SQLite cannot show without blocking the thread: a database that never answers (a
    // PostgreSQL behind a partition).
    const silent: ControlCenterStore = Object.assign(Object.create(real) as SqliteStore, {
      addTimeline: () => new Promise<number>(() => undefined),
    });
    rt?.useStore(silent);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(recordVerdict(report('promote'), undefined, 'silent')).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith(
      'timeline: the verdict is not stored yet (kept, retried):',
      'storing the verdict: no answer from the store within 1000 ms',
    );
  });
});
