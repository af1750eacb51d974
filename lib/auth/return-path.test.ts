import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './return-path';

describe('safeReturnPath', () => {
  it.each([
    ['/', '/'],
    ['/rollouts/demo/webapp', '/rollouts/demo/webapp'],
    ['/ok?x=//y', '/ok?x=//y'],
    ['/ok?x=%2F%2Fy', '/ok?x=%2F%2Fy'],
    ['/audit?actor=admin#top', '/audit?actor=admin#top'],
    ['/rollouts/demo/web%20app', '/'],
  ])('keeps the same-origin path %j', (raw, want) => {
    expect(safeReturnPath(raw)).toBe(want);
  });

  it.each([
    '/%09/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/%0a/evil.example',
    '/%0d%0a/evil.example',
    '/\\evil',
    '/%5Cevil',
    '/%5cevil',
    '/%2F%2Fevil',
    '/%2fevil',
    '%2F%2Fevil',
    '//evil',
    '///evil',
    '/\\/evil',
    '\\\\evil',
    '/%252F%252Fevil',
    '/%25252F%25252Fevil',
    '/%2525252F%2525252Fevil',
    'https://evil',
    'http:/evil',
    'HTTPS://evil',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' /ok',
    '\u0000/evil',
    '/\u3000/evil',
    'data:text/html,x',
    'evil.example',
    '',
    '/%',
    `/${'a'.repeat(3000)}`,
  ])('sends %j to /', (raw) => {
    expect(safeReturnPath(raw)).toBe('/');
  });

  it('refuses what is not a string', () => {
    for (const v of [undefined, null, 1, ['/ok'], { toString: () => '/ok' }])
      expect(safeReturnPath(v)).toBe('/');
  });
});
