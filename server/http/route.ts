import 'server-only';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { guarded } from '@/server/auth/guard';
import type { Principal } from '@/server/auth/principal';
import { ApiError, invalidInput } from './api-error';
import { queryObject } from './errors';
import { readJson } from './json-body';

/** Marks handlers made by `route` (server/http/route-files.test.ts checks every API route but the exceptions has it). */
export const ROUTE_KERNEL = Symbol.for('control-center.route-kernel');

type Schema = z.ZodType;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
/** A route's path parameters as Next.js gives them (`[...path]` segments are arrays). */
export type RawParams = Record<string, string | string[]>;

export interface RouteInput<P, Q, B> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
}

export interface RouteContext {
  req: Request;
  /** Who asks (null on public, bearer and next-auth routes): the guard has checked the session, role and CSRF. */
  who: Principal | null;
  /** The path parameters as they came (before `params` parsed them). */
  rawParams: RawParams;
}

/** What a refused request asked for, as far as it was read: `body` is the JSON body once parsed as JSON. */
export interface Asked {
  body?: unknown;
}

export interface RouteSpec<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
> {
  /** The path parameters (`[namespace]`, ...): a bad one is a 422 `invalid path: <field>: ...`. */
  params?: P;
  /**
   * Path parameters that name what the route serves (`[action]`): a bad one is a 404 `not_found` with its schema's
   * message, before any other refusal of the path.
   */
  notFound?: readonly string[];
  /** The query: a bad one is a 422 `invalid <queryLabel>: <field>: ...` (an unknown key by its own name). */
  query?: Q;
  /** What the query schema reads; default the URL's parameters (the last of a repeated key wins). */
  queryFrom?: (req: Request, params: RawParams) => Record<string, unknown>;
  /** The word for the query in refusals; default `query`. */
  queryLabel?: string;
  /**
   * The JSON body, or the schema for it given the parsed path (one per `[action]`): 413 past `bodyLimit`, 400 if it
   * is not JSON, 422 `invalid body: <field>: ...` if it does not fit.
   */
  body?: B | ((params: Parsed<P>) => B);
  bodyLimit?: number;
  /** What the route refuses beyond its schemas (a name the configuration lacks): throws an ApiError, like a parse. */
  check?: (input: RouteInput<P, Q, B>, ctx: RouteContext) => void | Promise<void>;
  /** Told of every refusal of the parse and of `check`, with what was asked, before it is answered (an audit). */
  refused?: (err: ApiError, asked: Asked, ctx: RouteContext) => Promise<void>;
}

function parse<S extends Schema | undefined>(schema: S | undefined, value: unknown, what: string): Parsed<S> {
  if (!schema) return undefined as Parsed<S>;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(parsed.error, what);
  return parsed.data as Parsed<S>;
}

function parseParams<P extends Schema | undefined>(
  schema: P | undefined,
  raw: RawParams,
  notFound: readonly string[] = [],
): Parsed<P> {
  const parsed = schema?.safeParse(raw);
  if (!parsed || parsed.success) return parsed?.data as Parsed<P>;
  const unknown = parsed.error.issues.find((i) => notFound.includes(String(i.path[0])));
  if (unknown) throw new ApiError(404, 'not_found', unknown.message);
  throw invalidInput(parsed.error, 'path');
}

/** The path, the query and the body in that order, each parsed with its schema; `asked` gets the body once read. */
async function parseInput<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
>(spec: RouteSpec<P, Q, B>, { req, rawParams }: RouteContext, asked: Asked): Promise<RouteInput<P, Q, B>> {
  const params = parseParams(spec.params, rawParams, spec.notFound);
  const query = parse(
    spec.query,
    spec.queryFrom ? spec.queryFrom(req, rawParams) : queryObject(req.url),
    spec.queryLabel ?? 'query',
  );
  const bodySchema = typeof spec.body === 'function' ? spec.body(params) : spec.body;
  if (bodySchema) asked.body = await readJson(req, spec.bodyLimit);
  return { params, query, body: parse(bodySchema, asked.body, 'body') };
}

/**
 * An API route handler: the guard (server/auth/guard.ts: policy, session, rate limit, CSRF, role) lets the request
 * in, then the path parameters, the query and the body are parsed with their schemas in that order, then `check`
 * runs, and only a request that passes them all reaches `handler`; `refused` hears of each refusal on the way.
 * Whatever is thrown (a refusal here, an `ApiError` of the domain, or anything else) is answered in one place
 * (server/http/errors.ts `errorAnswer`), so a refused request changes nothing.
 */
export function route<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(
  spec: RouteSpec<P, Q, B>,
  handler: (input: RouteInput<P, Q, B>, ctx: RouteContext) => Promise<Response> | Response,
): (req: Request, ctx?: { params: Promise<RawParams> }) => Promise<Response> {
  const handle = guarded(async (req: Request, ctx: { params: Promise<RawParams> } | undefined, who) => {
    const rc: RouteContext = { req, who, rawParams: (await ctx?.params) ?? {} };
    const asked: Asked = {};
    let input: RouteInput<P, Q, B>;
    try {
      input = await parseInput(spec, rc, asked);
      await spec.check?.(input, rc);
    } catch (err) {
      if (err instanceof ApiError && spec.refused) await spec.refused(err, asked, rc);
      throw err;
    }
    return handler(input, rc);
  });
  Object.defineProperty(handle, ROUTE_KERNEL, { value: true });
  return handle;
}

/** A JSON answer that no cache keeps (every API answer is per user and live). */
export function json(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('cache-control', 'no-store');
  return Response.json(data, { ...init, headers });
}

/**
 * A JSON answer to a read that a page repeats (every 10 s): tagged with a hash of its bytes (`ETag`), and when the
 * request names that tag (`If-None-Match`), 304 with no body. The browser then keeps what it has, parses nothing and
 * renders nothing (lib/client/api.ts `getJson`). Still kept by no cache.
 */
export function revalidatedJson(req: Request, data: unknown): Response {
  const body = JSON.stringify(data);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const headers = new Headers({ 'cache-control': 'no-store', etag });
  // Compared weakly (RFC 9110 §13.1.2): a proxy that compresses the answer may mark the tag W/.
  const asked = req.headers.get('if-none-match');
  const weak = (t: string) => t.trim().replace(/^W\//, '');
  if (asked?.split(',').some((t) => weak(t) === etag)) return new Response(null, { status: 304, headers });
  headers.set('content-type', 'application/json');
  return new Response(body, { status: 200, headers });
}
