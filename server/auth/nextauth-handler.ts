import 'server-only';
import NextAuth from 'next-auth';
import { env } from '../config/env';
import { ApiError } from '../http/api-error';
import { readBodyWithin } from '../http/body-limit';
import { authOptions } from './auth-options';
import { loginGate, loginSource } from './login-gate';
import type { ThrottleDecision } from './login-throttle';
import { parseCookies, SESSION_COOKIES } from './session';

const MAX_AUTH_BODY = 16 * 1024;

interface Collected {
  status: number;
  headers: Headers;
  body: string | null;
}

/** A minimal Node-style response next-auth's API handler writes to. */
function collector() {
  const out: Collected = { status: 200, headers: new Headers(), body: null };
  const res = {
    status(n: number) {
      out.status = n;
      return res;
    },
    setHeader(k: string, v: string | string[]) {
      if (Array.isArray(v)) {
        out.headers.delete(k);
        for (const x of v) out.headers.append(k, x);
      } else out.headers.set(k, v);
      return res;
    },
    getHeader(k: string) {
      return k.toLowerCase() === 'set-cookie'
        ? out.headers.getSetCookie()
        : (out.headers.get(k) ?? undefined);
    },
    end() {
      return res;
    },
    json(v: unknown) {
      out.headers.set('content-type', 'application/json');
      out.body = JSON.stringify(v);
      return res;
    },
    send(v: unknown) {
      if (typeof v === 'string') out.body = v;
      else if (v !== undefined && v !== null) return res.json(v);
      return res;
    },
  };
  return { res, out };
}

/** The form (or JSON) body of a sign-in post; throws the 413 past MAX_AUTH_BODY and a 400 for bad JSON. */
async function readAuthBody(req: Request): Promise<Record<string, string> | undefined> {
  if (req.method !== 'POST') return undefined;
  const read = await readBodyWithin(req, MAX_AUTH_BODY);
  if (!read.ok) throw read.error;
  const text = Buffer.from(read.bytes).toString('utf8');
  const type = req.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    try {
      const v = JSON.parse(text) as unknown;
      return v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]))
        : {};
    } catch {
      throw new ApiError(400, 'invalid_json', 'the request body is not valid JSON');
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

const WHY: Record<Exclude<ThrottleDecision, { ok: true }>['scope'], string> = {
  pair: 'too many wrong passwords for this user from your address',
  source: 'too many sign-in attempts from your address',
  user: 'too many failed sign-ins for this user from many addresses',
};

/**
 * A refused password sign-in, before any password is checked: next-auth's client reads `url` (its error names
 * the kind), people and scripts read `error`.
 */
function loginRefusal(origin: string, status: 429 | 503, code: string, message: string, retry: number) {
  const res = Response.json(
    { url: `${origin}/login?error=${status === 429 ? 'TooManyAttempts' : 'Busy'}`, error: { code, message } },
    { status },
  );
  res.headers.set('retry-after', String(retry));
  res.headers.set('cache-control', 'no-store');
  return res;
}

const sessionSet = (headers: Headers) =>
  headers
    .getSetCookie()
    .some((c) =>
      SESSION_COOKIES.some((n) => new RegExp(`^${n.replace(/\./g, '\\.')}(\\.\\d+)?=[^;]`).test(c)),
    );

/**
 * next-auth's endpoints (`/api/auth/*`: csrf, providers, session, signin, callback, signout) for the App Router,
 * through next-auth's API-route entry point with a plain Request, so they run (and are tested) without Next's
 * request context. The origin is AUTH_URL when set, else the request's own (forwarded-host headers are ignored).
 */
export async function nextAuthHandler(req: Request, segments: string[]): Promise<Response> {
  const url = new URL(req.url);
  const base = env().AUTH_URL;
  if (base) process.env.NEXTAUTH_URL = `${new URL(base).origin}/api/auth`;
  else process.env.AUTH_TRUST_HOST ??= 'true';
  const body = await readAuthBody(req);
  const headers: Record<string, string> = {};
  req.headers.forEach((v, k) => {
    headers[k] = v;
  });
  headers.host = url.host;
  headers['x-forwarded-host'] = url.host;
  headers['x-forwarded-proto'] = url.protocol.replace(':', '');
  const query: Record<string, string | string[]> = Object.fromEntries(url.searchParams);
  query.nextauth = segments;
  const { res, out } = collector();
  const run = () =>
    (NextAuth as unknown as (req: unknown, res: unknown, options: unknown) => Promise<unknown>)(
      {
        method: req.method,
        headers,
        query,
        cookies: Object.fromEntries(parseCookies(req.headers.get('cookie'))),
        body,
      },
      res,
      authOptions(),
    );
  if (req.method === 'POST' && segments.join('/') === 'callback/credentials') {
    // Password sign-in: throttled by source address and username, and a bounded number of argon2 checks at once.
    const username = (body?.username ?? '').slice(0, 128);
    const source = loginSource(req.headers);
    const gate = loginGate();
    const origin = base ? new URL(base).origin : url.origin;
    const d = gate.throttle.attempt(username, source);
    if (!d.ok)
      return loginRefusal(
        origin,
        429,
        'rate_limited',
        `${WHY[d.scope]}: try again in ${d.retryAfterSeconds} s`,
        d.retryAfterSeconds,
      );
    const release = await gate.slots.acquire();
    if (!release)
      return loginRefusal(origin, 503, 'busy', 'too many sign-ins at once: try again in a moment', 1);
    try {
      await run();
    } finally {
      release();
    }
    gate.throttle.record(username, source, sessionSet(out.headers));
  } else await run();
  out.headers.set('cache-control', 'no-store');
  const redirect = out.status >= 300 && out.status < 400;
  return new Response(redirect ? null : out.body, { status: out.status, headers: out.headers });
}
