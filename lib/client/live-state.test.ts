import { describe, expect, it } from 'vitest';
import { statusConnectivity } from './live-state';

describe('statusConnectivity', () => {
  it('reads the Kubernetes connectivity of a status message', () => {
    const object = { kind: 'Connectivity', connected: false, synced: true, lastError: 'ECONNREFUSED' };
    expect(statusConnectivity({ type: 'STATUS', object })).toEqual({
      connected: false,
      synced: true,
      lastError: 'ECONNREFUSED',
    });
  });

  it('takes only true for true and only a string for an error', () => {
    expect(
      statusConnectivity({ type: 'STATUS', object: { connected: 'yes', synced: 1, lastError: 42 } }),
    ).toEqual({ connected: false, synced: false, lastError: null });
  });

  it('is null for a message that carries no connectivity object', () => {
    for (const data of [null, 'nonsense', { type: 'STATUS' }, { type: 'STATUS', object: [] }, []])
      expect(statusConnectivity(data)).toBeNull();
  });
});
