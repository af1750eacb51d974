import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { rolloutView } from '@/lib/rollout/rollout-view';
import { loadFixtures } from '@/lib/rollout/testdata/load-fixtures';
import { AccessProvider } from '../auth/access-context';
import { ActionBar } from './action-bar';
import { IdentityAccessProvider, type IdentityReasons } from './identity-access';
import { KubeContextProvider } from './kube-context';
import type { RolloutActions } from './use-rollout-actions';

/** The action buttons greyed by what the control center's own service account may not do (and by the role first). */
const fixture = loadFixtures().find((f) => f.file === 'paused-indefinite.yaml');
if (!fixture) throw new Error('fixture missing');
const view = rolloutView(fixture.rollout, fixture.ctx);
const actions = { run: async () => true, ask: () => undefined, busy: null } as unknown as RolloutActions;
const decode = (html: string) =>
  html.replaceAll('&#x27;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&');

function button(html: string, label: string): string {
  const m = new RegExp(`<button[^>]*>${label}</button>`).exec(html);
  if (!m) throw new Error(`no ${label} button in ${html}`);
  return m[0];
}
function render(
  reasons: IdentityReasons,
  role: 'operator' | 'viewer' = 'operator',
  pageContext?: string,
): string {
  return decode(
    renderToStaticMarkup(
      <AccessProvider
        access={{
          name: 'op',
          role,
          scopes: [{ context: 'kind-a', namespaces: ['demo'] }],
          defaultContext: 'kind-a',
        }}
      >
        <KubeContextProvider context={pageContext}>
          <IdentityAccessProvider reasons={reasons}>
            <ActionBar view={view} actions={actions} />
          </IdentityAccessProvider>
        </KubeContextProvider>
      </AccessProvider>,
    ),
  );
}

describe('ActionBar and the service account', () => {
  it('enables promote and abort when the service account may run them', () => {
    const html = render({ promote: null, abort: null });
    expect(button(html, 'Promote')).not.toContain('disabled=""');
    expect(button(html, 'Abort')).not.toContain('disabled=""');
  });

  it('greys the buttons the service account may not use, saying why', () => {
    const why = "the control center's service account may not patch rollouts/status in demo";
    const html = render({ promote: why, abort: why, restart: null });
    expect(button(html, 'Promote')).toContain(`disabled="" title="Not now: ${why}"`);
    expect(button(html, 'Abort')).toContain(`title="Not now: ${why}"`);
    expect(button(html, 'Restart')).not.toContain('disabled=""');
  });

  it("greys every action on a context the operator's scope does not name, saying which context", () => {
    const html = render({ promote: null, abort: null }, 'operator', 'kind-b');
    for (const label of ['Promote', 'Abort'])
      expect(button(html, label)).toContain(
        'title="Not now: your role (operator) may act only in demo on context kind-a (not in demo on context kind-b)"',
      );
    // The same namespace on the scope's own context (named, or the default one) stays enabled.
    expect(button(render({ promote: null }, 'operator', 'kind-a'), 'Promote')).not.toContain('disabled=""');
    expect(button(render({ promote: null }, 'operator'), 'Promote')).not.toContain('disabled=""');
  });

  it("says the user's role first", () => {
    const html = render({ promote: 'the service account reason' }, 'viewer');
    expect(button(html, 'Promote')).toContain(
      'title="Not now: your role (viewer) is read-only: ask an operator"',
    );
  });

  it('renders its buttons from the action catalogue, in its order, with its hotkeys', () => {
    const html = render({});
    const labels = [...html.matchAll(/<button[^>]*>([^<]+)<\/button>/g)].map((m) => m[1]);
    // paused-indefinite: paused by a pause step (not by the user), so Pause; Undo ▾ opens its list of revisions.
    expect(labels).toEqual([
      'Launch canary',
      'Promote',
      'Promote full',
      'Pause',
      'Abort',
      'Retry',
      'Restart',
    ]);
    expect(html).toMatch(/<summary[^>]*>Undo ▾<\/summary>/);
    expect(button(html, 'Promote')).toContain('aria-keyshortcuts="p"');
    expect(button(html, 'Abort')).toContain('aria-keyshortcuts="a"');
    expect(button(html, 'Retry')).not.toContain('aria-keyshortcuts');
  });
});
