// Sign-out as next-auth's browser client does it (GET /api/auth/csrf, then POST /api/auth/signout with that token
// and `json`), with fetch: the rollout page's first load does not carry next-auth's client for this one request.

const AUTH = '/api/auth';

const stringField = (data: unknown, key: string): string | null => {
  const v = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' && v.length > 0 ? v : null;
};

/** Ends the session; resolves to where the browser goes next (next-auth's answer, else `callbackUrl`). */
export async function signOut(callbackUrl: string): Promise<string> {
  const csrf = await fetch(`${AUTH}/csrf`, { cache: 'no-store' });
  const csrfToken = csrf.ok ? stringField(await csrf.json(), 'csrfToken') : null;
  if (!csrfToken) throw new Error(`sign-out: no CSRF token (${csrf.status})`);
  const res = await fetch(`${AUTH}/signout`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken, callbackUrl, json: 'true' }),
  });
  if (!res.ok) throw new Error(`sign-out: ${res.status}`);
  return stringField(await res.json(), 'url') ?? callbackUrl;
}
