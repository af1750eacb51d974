import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Button } from './button';

describe('Button', () => {
  it('while busy is dimmed for assistive tech (aria-disabled) but not disabled, so it keeps the focus', () => {
    const html = renderToStaticMarkup(<Button busy>Pause</Button>);
    expect(html).toMatch(/ aria-disabled="true"/);
    expect(html).not.toMatch(/ disabled=""/);
  });

  it('with a reason is disabled and says why, busy or not', () => {
    for (const busy of [false, true]) {
      const html = renderToStaticMarkup(
        <Button busy={busy} disabledReason="already paused">
          Pause
        </Button>,
      );
      expect(html).toMatch(/ disabled=""/);
      expect(html).not.toMatch(/ aria-disabled="/);
      expect(html).toContain('title="Not now: already paused"');
    }
  });

  it('at rest is neither', () => {
    const html = renderToStaticMarkup(<Button>Pause</Button>);
    expect(html).not.toMatch(/ (aria-)?disabled="/);
  });
});
