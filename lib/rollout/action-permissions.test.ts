import { describe, expect, it } from 'vitest';
import { ACTION_NAMES } from '../actions/catalogue';
import { ACTION_PERMISSIONS, type ApiPermission, permissionKey, tokenReason } from './action-permissions';

describe('what the control center identity needs per action', () => {
  it('names every action, and the first refused request in the reason', () => {
    expect(Object.keys(ACTION_PERMISSIONS).sort()).toEqual([...ACTION_NAMES].sort());
    const refuse = (p: ApiPermission) => !(p.resource === 'rollouts' && p.subresource === 'status');
    expect(tokenReason('promote', 'demo', refuse)).toBe(
      "the control center's service account may not patch rollouts/status in demo",
    );
    expect(tokenReason('restart', 'demo', refuse)).toBeNull();
    expect(tokenReason('faults', 'shop', (p) => p.verb !== 'patch')).toBe(
      "the control center's service account may not patch configmaps webapp-faults in shop",
    );
  });

  it('greys nothing when the answer is unknown', () => {
    for (const a of ACTION_NAMES) expect(tokenReason(a, 'demo', () => undefined)).toBeNull();
  });

  it('keys a permission by namespace and every attribute', () => {
    expect(
      permissionKey(
        { verb: 'patch', group: 'argoproj.io', resource: 'rollouts', subresource: 'status' },
        'demo',
      ),
    ).toBe('demo|patch|argoproj.io|rollouts|status|');
  });
});
