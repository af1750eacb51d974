import { describe, expect, it } from 'vitest';
import nextConfig from '../next.config';
import { contentSecurityPolicy } from './security-headers';

describe('security headers', () => {
  it('production CSP: no unsafe-eval, no framing, only this origin', () => {
    const csp = contentSecurityPolicy(false);
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(contentSecurityPolicy(true)).toContain('unsafe-eval');
  });

  it('next.config.ts sends them on every path', async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    expect(rules[0]?.source).toBe('/:path*');
    const names = Object.fromEntries(rules[0]?.headers.map((h) => [h.key, h.value]) ?? []);
    expect(names).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
    });
    expect(names['Content-Security-Policy']).not.toContain('unsafe-eval');
  });
});
