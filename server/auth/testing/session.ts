/** Test helpers: requests as a signed-in user of server/auth/testdata/control-center.yaml (see vitest.config.ts). */
import { encode } from 'next-auth/jwt';
import { CSRF_HEADER, CSRF_VALUE } from '../csrf';
import type { SessionClaims } from '../principal';
import { authSecret } from '../secret';
import { createSession } from '../session-store';

export type TestUser = 'admin' | 'operator' | 'viewer' | 'outsider';

/** A session cookie as next-auth sets it after a password login (with its row in the sessions table). */
export async function sessionCookie(user: string, claims: Partial<SessionClaims> = {}): Promise<string> {
  const c = { sub: user, name: user, provider: 'local' as const, ...claims };
  const row = await createSession({
    subject: c.sub,
    name: c.name,
    provider: c.provider,
    maxAgeSeconds: 3600,
    ...(c.groups ? { groups: c.groups } : {}),
  });
  const token = await encode({
    token: { sub: c.sub, name: c.name, provider: c.provider, sid: row.id },
    secret: authSecret(),
    maxAge: 3600,
  });
  return `next-auth.session-token=${token}`;
}

/**
 * A Request as `user` would send it from the browser: the session cookie and, for changes, the same-origin headers
 * the CSRF check wants. `user: null` sends none of them (anonymous).
 */
export async function requestAs(
  user: TestUser | null,
  url: string,
  init: RequestInit = {},
): Promise<Request> {
  const headers = new Headers(init.headers);
  if (user) headers.set('cookie', await sessionCookie(user));
  const method = (init.method ?? 'GET').toUpperCase();
  if (user && method !== 'GET' && method !== 'HEAD') {
    // What a browser on this origin sends (a test may override each one to see it refused).
    if (!headers.has(CSRF_HEADER)) headers.set(CSRF_HEADER, CSRF_VALUE);
    if (!headers.has('origin')) headers.set('origin', new URL(url).origin);
    if (!headers.has('sec-fetch-site')) headers.set('sec-fetch-site', 'same-origin');
  }
  return new Request(url, { ...init, headers });
}
