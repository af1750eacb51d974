import { describe, expect, it } from 'vitest';
import type { RolloutPage } from '@/lib/rollout/page-patch';
import { pageSlice } from './page-slice';
import { makeQueryClient } from './query-client';
import { initialPage, pageQueryKey } from './rollout-page-store';

const where = { namespace: 'demo', name: 'webapp' };
const page = (events: RolloutPage['events'], runsVersion = '1'): RolloutPage => ({
  ...initialPage(null),
  events,
  runsVersion,
});
const event = (key: string) => ({
  key,
  at: '2026-12-05T01:00:00Z',
  type: 'Normal',
  reason: 'RolloutPaused',
  message: '',
  object: 'Rollout/webapp',
  count: 1,
  source: 'rollouts-controller',
});

describe('pageSlice', () => {
  it('reads the initial page until the entry is in the cache, then the entry', () => {
    const client = makeQueryClient();
    const initial = page([], 'server');
    const slice = pageSlice(client, where, initial, (p) => p.runsVersion);
    expect(slice.get()).toBe('server');
    client.setQueryData(pageQueryKey(where), page([], '7'));
    expect(slice.get()).toBe('7');
  });

  it('keeps the same selection while its part of the page is unchanged, and shares unchanged parts of a new one', () => {
    const client = makeQueryClient();
    const slice = pageSlice(client, where, initialPage(null), (p) => ({
      events: p.events,
      n: p.events.length,
    }));
    const a = event('a');
    client.setQueryData(pageQueryKey(where), page([a], '1'));
    const first = slice.get();
    expect(slice.get()).toBe(first); // asked again: the same object
    client.setQueryData(pageQueryKey(where), page([{ ...a }], '2')); // an equal copy, another field moved
    expect(slice.get()).toBe(first);
    client.setQueryData(pageQueryKey(where), page([{ ...a }, event('b')], '3'));
    const next = slice.get();
    expect(next).not.toBe(first);
    expect(next.n).toBe(2);
    expect(next.events[0]).toBe(first.events[0]); // the unchanged event stays the object the panel has
  });

  it("tells its subscriber about its own page's updates only, until unsubscribed", () => {
    const client = makeQueryClient();
    const slice = pageSlice(client, where, initialPage(null), (p) => p.runsVersion);
    let told = 0;
    const off = slice.subscribe(() => told++);
    client.setQueryData(pageQueryKey({ namespace: 'demo', name: 'other' }), page([], '9'));
    client.setQueryData(['timeline', 'demo', 'webapp'], { items: [] });
    expect(told).toBe(0);
    client.setQueryData(pageQueryKey(where), page([], '2'));
    expect(told).toBeGreaterThan(0);
    const before = told;
    off();
    client.setQueryData(pageQueryKey(where), page([], '3'));
    expect(told).toBe(before);
  });
});
