import 'server-only';
import NextAuth from 'next-auth';
import { env } from '../config/env';
import { readBodyWithin } from '../http/body-limit';
import { apiError } from '../http/errors';
import { authOptions } from './auth-options';
import { parseCookies } from './session';

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

async function readAuthBody(req: Request): Promise<Record<string, string> | Response | undefined> {
  if (req.method !== 'POST') return undefined;
  const read = await readBodyWithin(req, MAX_AUTH_BODY);
  if (!read.ok) return read.response;
  const text = Buffer.from(read.bytes).toString('utf8');
  const type = req.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    try {
      const v = JSON.parse(text) as unknown;
      return v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]))
        : {};
    } catch {
      return apiError(400, 'invalid_json', 'the request body is not valid JSON');
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

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
  if (body instanceof Response) return body;
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
  await (NextAuth as unknown as (req: unknown, res: unknown, options: unknown) => Promise<unknown>)(
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
  out.headers.set('cache-control', 'no-store');
  const redirect = out.status >= 300 && out.status < 400;
  return new Response(redirect ? null : out.body, { status: out.status, headers: out.headers });
}
