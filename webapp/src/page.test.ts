import { describe, expect, it } from 'vitest';
import { escapeHtml } from './html.js';
import { NEW_BANNER_TEXT, renderPage } from './page.js';
import { matchRoute } from './routes.js';
import { versionColour } from './version-colour.js';

describe('page', () => {
  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('colours v1.0 blue, v1.1 amber and others by hash, stably', () => {
    expect(versionColour('v1.0')).toBe('#2563eb');
    expect(versionColour('v1.1')).toBe('#f59e0b');
    expect(versionColour('v2.0')).toMatch(/^hsl\(\d+, 70%, 45%\)$/);
    expect(versionColour('v2.0')).toBe(versionColour('v2.0'));
  });

  it('shows the version, escaped, and the banner only with newBanner', () => {
    const plain = renderPage({ version: 'v1.0', hostname: '<h>', flags: {} });
    expect(plain).toContain('>v1.0</div>');
    expect(plain).toContain('&lt;h&gt;');
    expect(plain).not.toContain('<h>');
    expect(plain).not.toContain(NEW_BANNER_TEXT);
    expect(renderPage({ version: 'v1.1', hostname: 'h', flags: { newBanner: true } })).toContain(
      NEW_BANNER_TEXT,
    );
  });
});

describe('matchRoute', () => {
  it('matches known routes and ignores the query string', () => {
    expect(matchRoute('/')).toBe('/');
    expect(matchRoute('/api/work?x=1')).toBe('/api/work');
    expect(matchRoute('/metrics')).toBe('/metrics');
  });
  it('labels anything else other', () => {
    expect(matchRoute('/api/work/')).toBe('other');
    expect(matchRoute('/nope/123')).toBe('other');
    expect(matchRoute(undefined)).toBe('/');
  });
});
