import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AccessProvider } from '../auth/access-context';
import { LoadPanel } from './load-panel';
import type { RolloutActions } from './use-rollout-actions';

/** The Load panel offers the configured targets by name (never an address field), a picker only when there are several. */
const actions = { run: async () => true, ask: () => undefined, busy: null } as unknown as RolloutActions;
const render = (targets: string[]) =>
  renderToStaticMarkup(
    <AccessProvider
      access={{
        name: 'op',
        role: 'operator',
        scopes: [{ context: 'lab', namespaces: ['demo'] }],
        defaultContext: 'lab',
      }}
    >
      <LoadPanel namespace="demo" name="webapp" load={null} actions={actions} targets={targets} />
    </AccessProvider>,
  );

describe('LoadPanel targets', () => {
  it('several configured targets: a picker of their names, the first chosen', () => {
    const html = render(['gateway', 'direct']);
    expect(html).toContain('<span>Target</span>');
    expect([...html.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1])).toEqual(['gateway', 'direct']);
    expect(html).toMatch(/<option value="gateway" selected="">/);
  });

  it('one target: no picker; no field ever takes a URL or a Host', () => {
    const html = render(['gateway']);
    expect(html).not.toContain('<select');
    expect(html).not.toMatch(/url|host/i);
  });
});
