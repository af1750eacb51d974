import { describe, expect, it } from 'vitest';
import { type LoadJob, loadProgress } from './load-progress';

const job = (status: LoadJob['status']): LoadJob => ({
  metadata: {
    name: 'webapp-load-x',
    annotations: { 'control-center.io/load-rps': '50', 'control-center.io/load-duration-seconds': '300' },
  },
  status,
});
const t0 = Date.parse('2024-05-01T10:00:00Z');

describe('loadProgress', () => {
  it('is pending before the Job starts, then runs against the requested duration', () => {
    expect(loadProgress(job({}), t0)).toMatchObject({
      state: 'pending',
      fraction: 0,
      rps: 50,
      durationSeconds: 300,
    });
    expect(loadProgress(job({ startTime: '2024-05-01T10:00:00Z', active: 1 }), t0 + 130_000)).toMatchObject({
      state: 'running',
      elapsedSeconds: 130,
      fraction: 130 / 300,
    });
  });
  it('is done when the Job completes, failed when it fails', () => {
    const done = job({
      startTime: '2024-05-01T10:00:00Z',
      completionTime: '2024-05-01T10:05:01Z',
      conditions: [{ type: 'Complete', status: 'True' }],
    });
    expect(loadProgress(done, t0 + 999_000)).toMatchObject({
      state: 'succeeded',
      fraction: 1,
      elapsedSeconds: 301,
    });
    expect(loadProgress(job({ startTime: '2024-05-01T10:00:00Z', failed: 1 }), t0).state).toBe('failed');
  });
});
