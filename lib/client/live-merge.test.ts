import { describe, expect, it } from 'vitest';
import { mergeLive } from './live-merge';
import { initialLiveState, type LiveMessage, type LiveState, reduceAll } from './live-state';
import { rolloutApiUrl, rolloutPageUrl } from './rollout-urls';

const ro = (name: string) => ({
  kind: 'Rollout',
  metadata: { name, namespace: 'demo', resourceVersion: '1', uid: `uid-${name}` },
  spec: { template: { spec: { containers: [{ name: 'app', image: `app:${name}` }] } } },
  status: { phase: 'Healthy' },
});
const msg = (event: string, type: string, object: unknown, id: string | null = null): LiveMessage => ({
  type: 'message',
  event,
  data: { type, object },
  id,
});
const synced = (...names: string[]): LiveState =>
  reduceAll(initialLiveState(), [
    { type: 'open' },
    msg('snapshot', 'BEGIN', {}),
    ...names.map((n) => msg('rollout', 'ADDED', ro(n))),
    msg('snapshot', 'END', { count: names.length }, '7'),
    msg('status', 'STATUS', { kind: 'Connectivity', connected: true, synced: true, lastError: null }),
  ]);
const down = (state: LiveState, lastError: string): LiveState =>
  reduceAll(state, [
    msg('status', 'STATUS', { kind: 'Connectivity', connected: false, synced: true, lastError }),
  ]);

describe('several contexts on one overview', () => {
  it('the indicator is live only when every stream is, and the banner names the context that is down', () => {
    const a = synced('a');
    const b = synced('b');
    expect(mergeLive([a, b], ['prod', 'staging'])).toMatchObject({ synced: true, connection: 'live' });
    expect(mergeLive([a, initialLiveState()], ['prod', 'staging'])).toMatchObject({
      synced: false,
      connection: 'connecting',
    });
    expect(mergeLive([a, reduceAll(b, [{ type: 'error' }])], ['p', 's']).connection).toBe('offline');
    const merged = mergeLive([a, down(b, 'connection refused')], ['prod', 'staging']);
    expect(merged.kube).toEqual({
      connected: false,
      synced: true,
      lastError: 'context staging: connection refused',
    });
    expect(mergeLive([a], ['prod'])).toBe(a);
  });

  it('page and API URLs carry ?context= only when there is one', () => {
    expect(rolloutPageUrl('demo', 'webapp')).toBe('/rollouts/demo/webapp');
    expect(rolloutPageUrl('demo', 'webapp', 'arn:aws:eks:eu-west-1:1:cluster/prod')).toBe(
      '/rollouts/demo/webapp?context=arn%3Aaws%3Aeks%3Aeu-west-1%3A1%3Acluster%2Fprod',
    );
    expect(rolloutApiUrl('demo', 'webapp', 'traffic', 'kind-b', { minutes: 15 })).toBe(
      '/api/v1/rollouts/demo/webapp/traffic?minutes=15&context=kind-b',
    );
    expect(rolloutApiUrl('demo', 'webapp', 'slo')).toBe('/api/v1/rollouts/demo/webapp/slo');
  });
});
