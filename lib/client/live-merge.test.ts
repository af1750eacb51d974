import { describe, expect, it, vi } from 'vitest';
import { row } from '@/lib/overview/testing/rows';
import { mergeLive } from './live-merge';
import { type OverviewState, OverviewStore } from './overview-store';
import { SETTLE_MS } from './page-frame';
import { rolloutApiUrl, rolloutPageUrl } from './rollout-urls';
import { FakeEventSource, fakeBrowserStreams } from './testing/fake-event-source';

/** Long enough for queued messages to be applied (they settle, then wait for a frame). */
const APPLIED = SETTLE_MS + 20;

fakeBrowserStreams();

const connectivity = (connected: boolean, lastError: string | null = null) => ({
  type: 'STATUS',
  object: { kind: 'Connectivity', connected, synced: true, lastError },
});

/** One context's overview stream as the overview page holds it (the states mergeLive is given). */
function stream(context: string) {
  const store = new OverviewStore(context, context);
  store.subscribe(() => undefined);
  const es = FakeEventSource.opened.at(-1) as FakeEventSource;
  const state = (): OverviewState => {
    vi.advanceTimersByTime(APPLIED);
    return store.getSnapshot();
  };
  return { es, state };
}

/** A context whose stream is open, its snapshot in and its Kubernetes API reachable. */
function synced(context: string, ...names: string[]) {
  const s = stream(context);
  s.es.onopen?.();
  s.es.emit('summary', { type: 'SNAPSHOT', rev: 1, rows: names.map((n) => row('demo', n)) }, '7');
  s.es.emit('status', connectivity(true));
  return s;
}

describe('several contexts on one overview', () => {
  it('the indicator is live only when every stream is, and the banner names the context that is down', () => {
    const a = synced('prod', 'a').state();
    const b = synced('staging', 'b');
    expect(a).toMatchObject({ synced: true, connection: 'live', kube: { connected: true } });
    expect(mergeLive([a, b.state()], ['prod', 'staging'])).toMatchObject({
      synced: true,
      connection: 'live',
    });
    expect(mergeLive([a, stream('staging').state()], ['prod', 'staging'])).toMatchObject({
      synced: false,
      connection: 'connecting',
      kube: null,
    });
    const refused = synced('staging', 'b');
    expect(refused.state().connection).toBe('live');
    refused.es.onerror?.();
    expect(mergeLive([a, refused.state()], ['p', 's']).connection).toBe('offline');
    b.es.emit('status', connectivity(false, 'connection refused'));
    const merged = mergeLive([a, b.state()], ['prod', 'staging']);
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
