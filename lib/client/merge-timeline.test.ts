import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '@/lib/rollout/timeline';
import { mergeTimeline } from './merge-timeline';

const entry = (key: string, at: string, summary = key): TimelineEntry => ({
  key,
  at,
  namespace: 'demo',
  rollout: 'webapp',
  kind: 'phase',
  source: 'controller',
  summary,
});

describe('mergeTimeline', () => {
  const stored = [
    entry('c', '2026-12-05T01:00:03Z'),
    entry('b', '2026-12-05T01:00:02Z'),
    entry('a', '2026-12-05T01:00:01Z'),
  ];

  it('is the stored list itself when the stream brought nothing it lacks', () => {
    expect(mergeTimeline(stored, [], 100)).toBe(stored);
    expect(mergeTimeline(stored, [entry('b', '2026-12-05T01:00:02.001Z', 'streamed b')], 100)).toBe(stored);
  });

  it('places streamed entries by time, newest first, the stored entry winning a key both have', () => {
    const recent = [
      entry('e', '2026-12-05T01:00:05.000Z'),
      entry('c', '2026-12-05T01:00:03.004Z', 'streamed c'),
      entry('x', '2026-12-05T01:00:01.500Z'), // a measurement timed by its run, older than the newest stored
      entry('d', '2026-12-05T01:00:04Z'),
    ];
    const out = mergeTimeline(stored, recent, 100);
    expect(out.map((e) => e.key)).toEqual(['e', 'd', 'c', 'b', 'x', 'a']);
    expect(out[2]).toBe(stored[0]);
    expect(out[3]).toBe(stored[1]);
  });

  it('takes a missing `recent` (a page from an older server) as none, and a key twice in it once', () => {
    expect(mergeTimeline(stored, undefined, 100)).toBe(stored);
    const twice = [entry('d', '2026-12-05T01:00:04Z'), entry('d', '2026-12-05T01:00:04Z', 'again')];
    expect(mergeTimeline(stored, twice, 100).map((e) => e.key)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('a streamed entry of the same time as a stored one goes on top (it is written later); the list keeps `limit`', () => {
    const out = mergeTimeline(stored, [entry('y', '2026-12-05T01:00:03.000Z')], 3);
    expect(out.map((e) => e.key)).toEqual(['y', 'c', 'b']);
  });
});
