import { describe, expect, it } from 'vitest';
import { canAct } from '../auth/roles';
import { actionBodySchemas } from '../schemas/actions';
import {
  ACTION_NAMES,
  ACTIONS,
  type ActionCheck,
  actionOfHotkey,
  actionTitle,
  BUTTON_ACTIONS,
  isActionName,
} from './catalogue';
import { PLANS } from './plans';

describe('the action catalogue', () => {
  it('has one spelling per action, each with a body schema and a plan under the same name', () => {
    expect(ACTION_NAMES).toEqual([
      'launch',
      'promote',
      'promote-full',
      'abort',
      'retry',
      'restart',
      'pause',
      'resume',
      'undo',
      'faults',
      'load',
    ]);
    expect(Object.keys(actionBodySchemas).sort()).toEqual([...ACTION_NAMES].sort());
    expect(Object.keys(PLANS).sort()).toEqual([...ACTION_NAMES].sort());
    expect(isActionName('promoteFull')).toBe(false);
    expect(isActionName('toString')).toBe(false);
  });

  it('labels and hotkeys are unique; p promotes, a aborts', () => {
    const labels = ACTION_NAMES.map((n) => ACTIONS[n].label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(actionOfHotkey('p')).toBe('promote');
    expect(actionOfHotkey('a')).toBe('abort');
    expect(actionOfHotkey('x')).toBeUndefined();
  });

  it('the bar shows Promote, Promote full, Pause or Resume, Abort, Retry, Restart in that order', () => {
    const shown = (pauseOk: boolean) =>
      BUTTON_ACTIONS.filter((n) => {
        const a: Record<string, ActionCheck> = { pause: { ok: pauseOk, reason: null } };
        return ACTIONS[n].button?.showIf?.(a) ?? true;
      }).map((n) => ACTIONS[n].label);
    expect(shown(true)).toEqual(['Promote', 'Promote full', 'Pause', 'Abort', 'Retry', 'Restart']);
    expect(shown(false)).toEqual(['Promote', 'Promote full', 'Resume', 'Abort', 'Retry', 'Restart']);
    // The bar keys its buttons by their slot (`order`): the buttons of one slot never show together.
    for (const pauseOk of [true, false]) {
      const a: Record<string, ActionCheck> = { pause: { ok: pauseOk, reason: null } };
      const slots = BUTTON_ACTIONS.filter((n) => ACTIONS[n].button?.showIf?.(a) ?? true).map(
        (n) => ACTIONS[n].button?.order,
      );
      expect(new Set(slots).size).toBe(slots.length);
    }
  });

  it('asks before abort, promote-full, launch and undo, naming the rollout and what changes', () => {
    const asks = ACTION_NAMES.filter((n) => ACTIONS[n].confirm !== null);
    expect(asks.sort()).toEqual(['abort', 'launch', 'promote-full', 'undo']);
    const s = { namespace: 'demo', name: 'webapp', stableImage: 'webapp:v1.0' };
    expect(ACTIONS.abort.confirm?.(s)).toEqual({
      title: 'Abort the canary of demo/webapp?',
      body: [
        'All traffic goes back to the stable version ',
        { code: 'webapp:v1.0' },
        ' and the canary scales down. The rollout stays Degraded until you retry or undo.',
      ],
      confirmLabel: 'Abort webapp',
      danger: true,
    });
    expect(
      ACTIONS.undo.confirm?.({ ...s, revision: { revision: 3, images: ['webapp:v0.9'] } }),
    ).toMatchObject({
      title: 'Undo demo/webapp to revision 3?',
      confirmLabel: 'Undo to revision 3',
    });
    expect(actionTitle('launch', { ...s, image: 'webapp:v2' })).toBe('Launch webapp:v2');
    expect(actionTitle('promote-full', s)).toBe('Promote full demo/webapp');
  });

  it('the role policy reads each entry: viewers run nothing, operators every action', () => {
    const who = (role: 'viewer' | 'operator') => ({
      name: 'u',
      role,
      scopes: [{ context: 'k', namespaces: ['demo'] as const }],
      defaultContext: 'k',
    });
    for (const n of ACTION_NAMES) {
      expect(ACTIONS[n].role).toBe('operator');
      expect(canAct(who('viewer'), n, 'k', 'demo').ok).toBe(false);
      expect(canAct(who('operator'), n, 'k', 'demo').ok).toBe(true);
    }
  });
});
